import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import { SERVICE_NAMES, pingSubject } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { runReadinessChecks, type ProcessMetrics } from '@agentmarket/observability';
import { restartingChecks } from '../supervision/supervised-processes.ts';

const PING_TIMEOUT_MS = 1000;

/**
 * /healthz (process up), /readyz (bus and every domain service answer), /metrics.
 * Under a supervisor, a process it is restarting shows as "restarting (attempt N, next in X s)"
 * instead of a ping timeout, and a restarting replica (`jobs#2`) gets a check of its own.
 */
export function opsRoutes(app: FastifyInstance, deps: { bus: BusClient; connection: NatsConnection; metrics: ProcessMetrics }): void {
  const hide = { hide: true };
  app.get('/healthz', { schema: hide }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: hide }, async (_request, reply) => {
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
    const report = await runReadinessChecks(checks, PING_TIMEOUT_MS + 500);
    return reply.status(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });

  app.get('/metrics', { schema: hide }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
}
