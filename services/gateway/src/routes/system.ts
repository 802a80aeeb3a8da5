import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { SERVICE_NAMES, SUBJECTS, pingSubject, systemSchema, type ExecutorStatus, type SystemView } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import type { EventHub } from '../sse/event-hub.ts';
import { zodRoute } from '../plugins/zod-routes.ts';
import { errorResponses } from './schemas.ts';

const PING_TIMEOUT_MS = 1000;

type ServiceHealth = SystemView['services'][string];

/**
 * GET /api/system: what the dashboard's health panel shows — each service's
 * readiness (its ping reports its database), the bus, and the executor's
 * model; POST /api/admin/events/disconnect: ends this replica's SSE streams.
 */
export function systemRoutes(app: FastifyInstance, deps: { bus: BusClient; connection: NatsConnection; hub: EventHub }): void {
  zodRoute(app, {
    method: 'GET',
    url: '/api/system',
    summary: 'Readiness of every service, the bus, and the executor’s model status',
    tags: ['operations'],
    responses: { 200: systemSchema, ...errorResponses },
    handler: async () => {
      const entries = await Promise.all(
        SERVICE_NAMES.map(async (service): Promise<[string, ServiceHealth]> => {
          try {
            const reply = await deps.bus.request<{ database?: string }>(pingSubject(service), {}, { timeoutMs: PING_TIMEOUT_MS });
            return [service, { ready: reply.database === undefined || reply.database === 'ok', database: reply.database }];
          } catch (error) {
            return [service, { ready: false, error: (error as Error).message }];
          }
        }),
      );
      const services: Record<string, ServiceHealth> = Object.fromEntries(entries);
      const executor = await deps.bus.request<ExecutorStatus>(SUBJECTS.executor.status, {}, { timeoutMs: PING_TIMEOUT_MS }).catch(() => null);
      const bus = deps.connection.isClosed() ? 'closed' : 'ok';
      const ready = bus === 'ok' && Object.values(services).every((service) => service.ready);
      return { status: ready ? 'ready' : 'not_ready', bus, services, executor };
    },
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/admin/events/disconnect',
    summary: 'End every SSE stream of this gateway replica (clients reconnect with Last-Event-ID)',
    tags: ['admin'],
    auth: 'admin',
    preHandler: app.access.admins,
    responses: { 200: z.object({ disconnected: z.number() }), ...errorResponses },
    handler: async () => ({ disconnected: deps.hub.disconnectAll() }),
  });
}
