import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { SERVICE_NAMES, SUBJECTS, pingSubject, systemSchema, type ExecutorStatus, type SystemView } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import type { EventHub } from '../sse/event-hub.ts';
import { restartingChecks } from '../supervision/supervised-processes.ts';
import { zodRoute } from '../plugins/zod-routes.ts';
import { errorResponses } from './schemas.ts';

const PING_TIMEOUT_MS = 1000;

type ServiceHealth = SystemView['services'][string];

/** What a service's ping says about its database, as a state: its error text may name hosts and users. */
const databaseState = (database: string | undefined) => (database === undefined ? undefined : database === 'ok' ? 'ok' : 'unreachable');

/**
 * GET /api/system: what the dashboard's health panel shows — each service's
 * state (up, down, restarting) and its database's, the bus, the executor's
 * model, and counts. States only, for anyone to read: no error texts, no
 * internal URLs (operators read /readyz on the ops listener for those);
 * POST /api/admin/events/disconnect: ends this replica's SSE streams.
 */
export function systemRoutes(app: FastifyInstance, deps: { bus: BusClient; connection: NatsConnection; hub: EventHub }): void {
  zodRoute(app, {
    method: 'GET',
    url: '/api/system',
    summary: 'State of every service, the bus, and the executor’s model',
    tags: ['operations'],
    access: 'public',
    responses: { 200: systemSchema, ...errorResponses },
    handler: async () => {
      const restarting = restartingChecks();
      const entries = await Promise.all(
        SERVICE_NAMES.map(async (service): Promise<[string, ServiceHealth]> => {
          try {
            const reply = await deps.bus.request<{ database?: string }>(pingSubject(service), {}, { timeoutMs: PING_TIMEOUT_MS });
            const database = databaseState(reply.database);
            return [service, { ready: database === undefined || database === 'ok', state: 'up', database }];
          } catch {
            return [service, { ready: false, state: service in restarting ? 'restarting' : 'down' }];
          }
        }),
      );
      const services: Record<string, ServiceHealth> = Object.fromEntries(entries);
      const status = await deps.bus.request<ExecutorStatus>(SUBJECTS.executor.status, {}, { timeoutMs: PING_TIMEOUT_MS }).catch(() => null);
      // The model's base URL may be an internal address: the panel needs only whether a model is there.
      const executor = status ? { ...status, base_url: null } : null;
      const bus = deps.connection.isClosed() ? 'closed' : 'ok';
      const ready = bus === 'ok' && Object.values(services).every((service) => service.ready);
      const counts = {
        services_up: Object.values(services).filter((service) => service.state === 'up').length,
        services_total: SERVICE_NAMES.length,
        restarting: Object.keys(restarting).length,
        sse_streams: deps.hub.size,
      };
      return { status: ready ? 'ready' : 'not_ready', bus, services, counts, executor };
    },
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/admin/events/disconnect',
    summary: 'End every SSE stream of this gateway replica (clients reconnect with Last-Event-ID)',
    tags: ['admin'],
    access: 'admin',
    responses: { 200: z.object({ disconnected: z.number() }), ...errorResponses },
    handler: async () => ({ disconnected: deps.hub.disconnectAll() }),
  });
}
