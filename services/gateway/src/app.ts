import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jetstreamManager, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { REQUEST_ID_HEADER, type PublicAgent } from '@agentmarket/contracts';
import type { SettingsOf } from '@agentmarket/config';
import { BusClient, decodeJson } from '@agentmarket/messaging';
import type { Logger, ProcessMetrics } from '@agentmarket/observability';
import type { gatewaySettings } from './config.ts';
import { InvalidatedCache } from './cache/invalidated-cache.ts';
import { decorateAccess } from './plugins/access.ts';
import { decorateAdminAuth } from './plugins/admin-auth.ts';
import { createJwtAuth, decorateJwtAuth, keyringFromSettings } from './plugins/jwt-auth.ts';
import { createAuthenticator, decorateAuth } from './plugins/auth.ts';
import { registerDocs } from './plugins/docs.ts';
import { installErrorHandling } from './plugins/errors.ts';
import { onClientError, onFrameworkError } from './plugins/framework-errors.ts';
import { registerIdempotency } from './plugins/idempotency.ts';
import { installInputHygiene } from './plugins/input-hygiene.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { IdempotencyStore } from './idempotency/idempotency-store.ts';
import { installZodCompilers } from './plugins/zod-routes.ts';
import { activityRoutes } from './routes/activity.ts';
import { authRoutes } from './routes/auth.ts';
import { agentRoutes } from './routes/agents.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { jobRoutes } from './routes/jobs.ts';
import { marketRoutes } from './routes/market.ts';
import { walletRoutes } from './routes/wallet.ts';
import { serviceRoutes } from './routes/services.ts';
import { systemRoutes } from './routes/system.ts';
import { taskRoutes } from './routes/tasks.ts';
import { registerDashboard } from './plugins/dashboard.ts';
import { eventRoutes } from './routes/events.ts';
import { opsRoutes } from './routes/ops.ts';
import { EventHub } from './sse/event-hub.ts';

export type GatewaySettings = SettingsOf<typeof gatewaySettings>;

export interface Gateway {
  app: FastifyInstance;
  hub: EventHub;
  stop(): Promise<void>;
}

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;
const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../apps/dashboard/dist', import.meta.url));

/** The HTTP edge: plugins, then routes. Stateless; run as many replicas as needed. */
export async function buildGateway(deps: {
  settings: GatewaySettings;
  connection: NatsConnection;
  logger: Logger;
  metrics: ProcessMetrics;
}): Promise<Gateway> {
  const { settings, connection } = deps;
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: settings.BODY_LIMIT_BYTES,
    trustProxy: settings.TRUST_PROXY === '1',
    // Keep the caller's request id when it sends a sane one; it follows the request through NATS.
    genReqId: (request) => {
      const incoming = request.headers[REQUEST_ID_HEADER];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    requestIdLogLabel: 'request_id',
    disableRequestLogging: true,
    return503OnClosing: true,
    frameworkErrors: onFrameworkError,
    clientErrorHandler: onClientError,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const bus = new BusClient(connection, settings.BUS_TIMEOUT_MS);
  const js = jetstream(connection);
  const manager = await jetstreamManager(connection);
  const hub = new EventHub(js, deps.logger);

  // JSON only: anything else is 415, not a string the schemas would misreport.
  app.removeContentTypeParser(['text/plain']);
  installInputHygiene(app);
  installZodCompilers(app);
  installErrorHandling(app);
  await registerDocs(app);
  await registerRateLimit(app, {
    perKey: settings.RATE_LIMIT_PER_KEY,
    perIp: settings.RATE_LIMIT_PER_IP,
    windowMs: settings.RATE_LIMIT_WINDOW_MS,
  });
  const authenticator = createAuthenticator({ bus, ttlMs: settings.AUTH_CACHE_TTL_MS, maxEntries: settings.AUTH_CACHE_MAX });
  decorateAuth(app, authenticator);
  decorateAdminAuth(app, settings.ADMIN_API_KEY);
  decorateJwtAuth(app, createJwtAuth({ keyring: keyringFromSettings(settings.JWT_KEYS, settings.JWT_SIGNING_KEY_ID), agentKeys: authenticator }));
  decorateAccess(app);
  registerIdempotency(app, {
    store: await IdempotencyStore.open(connection, settings.STREAM_REPLICAS, Math.min(2000, settings.BUS_TIMEOUT_MS)),
    waitMs: settings.IDEMPOTENCY_WAIT_MS,
    leaseMs: settings.IDEMPOTENCY_LEASE_MS,
  });

  const profiles = new InvalidatedCache<PublicAgent>(settings.PROFILE_CACHE_TTL_MS, settings.PROFILE_CACHE_MAX);
  // One core-NATS subscription on every replica: any change to an agent drops its cached profile,
  // a key rotation also its cached keys, without waiting for a TTL.
  connection.subscribe('evt.agent.>', {
    callback: (error, message) => {
      if (error) return;
      try {
        const envelope = decodeJson(message.data) as { type: string; aggregate_id: string };
        profiles.invalidate(envelope.aggregate_id);
        authenticator.onAgentEvent(envelope);
      } catch (failure) {
        // Anyone on the bus can publish here: a message that is not an envelope is dropped, never thrown.
        deps.logger.warn({ err: failure, subject: message.subject }, 'ignored a malformed agent event');
      }
    },
  });

  opsRoutes(app, { bus, connection, metrics: deps.metrics });
  agentRoutes(app, bus, profiles);
  serviceRoutes(app, bus);
  jobRoutes(app, bus);
  inboxRoutes(app, bus);
  activityRoutes(app, bus);
  walletRoutes(app, bus);
  marketRoutes(app, bus, settings.STATS_CACHE_MS);
  taskRoutes(app, bus);
  authRoutes(app, bus, { perIp: settings.LOGIN_RATE_LIMIT_PER_IP, windowMs: settings.RATE_LIMIT_WINDOW_MS });
  systemRoutes(app, { bus, connection, hub });
  await registerDashboard(app, settings.DASHBOARD_DIR || DEFAULT_DASHBOARD_DIR);
  eventRoutes(app, {
    hub,
    jetstream: js,
    manager,
    heartbeatMs: settings.SSE_HEARTBEAT_MS,
    maxBufferBytes: settings.SSE_MAX_BUFFER_BYTES,
    maxReplay: settings.SSE_MAX_REPLAY,
  });
  await app.ready();
  hub.start();

  return {
    app,
    hub,
    async stop() {
      // SSE connections never end by themselves: close them before Fastify waits for open requests.
      await hub.stop();
      await app.close();
    },
  };
}
