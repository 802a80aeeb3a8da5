import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import { SERVICE_NAMES, pingSubject } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { runReadinessChecks, type ProcessMetrics } from '@agentmarket/observability';
import { restartingChecks } from '../supervision/supervised-processes.ts';
import { ADMIN_KEY_HEADER } from '../plugins/admin-auth.ts';

const PING_TIMEOUT_MS = 1000;

export interface OpsDeps {
  bus: BusClient;
  connection: NatsConnection;
  metrics: ProcessMetrics;
}

/**
 * Readiness: the bus and a ping of every domain service. Under a supervisor, a process it is restarting
 * shows as "restarting (attempt N, next in X s)" instead of a ping timeout, and a restarting replica
 * (`jobs#2`) gets a check of its own.
 */
async function readiness(deps: OpsDeps): Promise<{ ready: boolean; checks: Record<string, unknown> }> {
  const checks: Record<string, () => Promise<true | string>> = {
    bus: async () => (deps.connection.isClosed() ? 'closed' : true),
  };
  for (const service of SERVICE_NAMES) {
    checks[service] = async () => {
      await deps.bus.request(pingSubject(service), {}, { timeoutMs: PING_TIMEOUT_MS });
      return true;
    };
  }
  for (const [name, restarting] of Object.entries(restartingChecks())) checks[name] = async () => restarting;
  return runReadinessChecks(checks, PING_TIMEOUT_MS + 500);
}

const hide = { schema: { hide: true } };

/**
 * The ops listener (OPS_PORT, never exposed to the public): /healthz,
 * /readyz with every check's detail, and /metrics.
 */
export function opsListenerRoutes(ops: FastifyInstance, deps: OpsDeps): void {
  ops.get('/healthz', hide, async () => ({ status: 'ok' }));
  ops.get('/readyz', hide, async (_request, reply) => {
    const report = await readiness(deps);
    return reply.status(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });
  ops.get('/metrics', hide, async (_request, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));
}

/**
 * The same on the public API port, quiet: /healthz and /readyz answer the
 * status alone (what a load balancer needs); the checks' details and
 * /metrics only with the admin credential (X-Admin-Key or an admin JWT) —
 * operators read them on the ops listener.
 */
export function opsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get('/healthz', hide, async () => ({ status: 'ok' }));

  app.get('/readyz', hide, async (request, reply) => {
    const report = await readiness(deps);
    const status = report.ready ? 'ready' : 'not_ready';
    // A wrong X-Admin-Key is 401 as everywhere; any other caller (a buyer's token too) simply gets the status.
    if (request.headers[ADMIN_KEY_HEADER] !== undefined) await app.adminAuth.requireAdmin.call(app, request, reply);
    const isAdmin = request.isAdmin === true || (await app.jwtAuth.authenticate(request).catch(() => undefined))?.role === 'admin';
    return reply.status(report.ready ? 200 : 503).send(isAdmin ? { status, checks: report.checks } : { status });
  });

  app.get('/metrics', { ...hide, preHandler: app.access.admins }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
}
