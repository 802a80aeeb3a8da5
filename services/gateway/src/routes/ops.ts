import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { GATEWAY_KV_BUCKETS, SERVICE_NAMES, pingSubject } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { runReadinessChecks, type ProcessMetrics } from '@agentmarket/observability';
import { restartingChecks } from '../supervision/supervised-processes.ts';

const PING_TIMEOUT_MS = 1000;

export interface OpsDeps {
  bus: BusClient;
  connection: NatsConnection;
  metrics: ProcessMetrics;
}

interface ReadinessReport {
  ready: boolean;
  checks: Record<string, unknown>;
  /** Each domain service's state: reported, never part of `ready`. */
  services: Record<string, unknown>;
}

/**
 * Readiness is what THIS gateway needs to serve: its bus connection and the KV buckets its rate limits and
 * Idempotency-Keys live in. A domain service that does not answer is not the gateway's fault, and taking every
 * gateway pod out of the load balancer for it would turn one service's outage into a total one: its routes
 * answer 503 with Retry-After meanwhile, and its state is reported here (`services`) and in /api/system.
 * Under a supervisor, a process it is restarting shows as "restarting (attempt N, next in X s)" instead of a
 * ping timeout, and a restarting replica (`jobs#2`) gets an entry of its own.
 */
async function readiness(deps: OpsDeps): Promise<ReadinessReport> {
  const checks: Record<string, () => Promise<true | string>> = {
    bus: async () => (deps.connection.isClosed() ? 'closed' : true),
  };
  const manager = jetstreamManager(deps.connection, { timeout: PING_TIMEOUT_MS });
  manager.catch(() => {}); // awaited (and reported) by each bucket's check
  for (const bucket of GATEWAY_KV_BUCKETS) {
    checks[`kv:${bucket}`] = async () => {
      // A KV bucket is the stream KV_<bucket>; its info proves JetStream answers and the bucket exists.
      await (await manager).streams.info(`KV_${bucket}`);
      return true;
    };
  }
  const serviceChecks: Record<string, () => Promise<true | string>> = {};
  for (const service of SERVICE_NAMES) {
    serviceChecks[service] = async () => {
      await deps.bus.request(pingSubject(service), {}, { timeoutMs: PING_TIMEOUT_MS });
      return true;
    };
  }
  for (const [name, restarting] of Object.entries(restartingChecks())) serviceChecks[name] = async () => restarting;
  const [own, services] = await Promise.all([
    runReadinessChecks(checks, PING_TIMEOUT_MS + 500),
    runReadinessChecks(serviceChecks, PING_TIMEOUT_MS + 500),
  ]);
  return { ready: own.ready, checks: own.checks, services: services.checks };
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
    return reply.status(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks, services: report.services });
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

  // A wrong X-Admin-Key is 401; any other caller than an admin (a buyer's token, a bad one too) simply gets the status.
  app.get('/readyz', { ...hide, config: { access: 'optional_admin' } }, async (request, reply) => {
    const report = await readiness(deps);
    const status = report.ready ? 'ready' : 'not_ready';
    const isAdmin = request.caller.kind === 'admin';
    return reply.status(report.ready ? 200 : 503).send(isAdmin ? { status, checks: report.checks, services: report.services } : { status });
  });

  app.get('/metrics', { ...hide, config: { access: 'admin' } }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
}
