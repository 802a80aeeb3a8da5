import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jetstreamManager, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { RATE_LIMIT_BUCKETS, REQUEST_ID_HEADER, parseEventData } from '@agentmarket/contracts';
import type { SettingsOf } from '@agentmarket/config';
import { BusClient, decodeJson } from '@agentmarket/messaging';
import type { Logger, ProcessMetrics } from '@agentmarket/observability';
import type { gatewaySettings } from './config.ts';
import { ProfileCache } from './cache/profile-cache.ts';
import { registerAuthentication } from './plugins/authentication.ts';
import { keyringFromSettings } from './plugins/bearer-tokens.ts';
import { registerDocs } from './plugins/docs.ts';
import { installErrorHandling } from './plugins/errors.ts';
import { onClientError, onFrameworkError } from './plugins/framework-errors.ts';
import { registerHttpMetrics } from './plugins/http-metrics.ts';
import { registerIdempotency } from './plugins/idempotency.ts';
import { installInputHygiene } from './plugins/input-hygiene.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { installSecurityHeaders } from './plugins/security-headers.ts';
import { SharedWindowCounters } from './limits/shared-window-counters.ts';
import { WindowLimiter } from './limits/window-limiter.ts';
import { IdempotencyStore } from './idempotency/idempotency-store.ts';
import { installZodCompilers } from './plugins/zod-routes.ts';
import { activityRoutes } from './routes/activity.ts';
import { authRoutes } from './routes/auth.ts';
import { agentRoutes } from './routes/agents.ts';
import { adminRoutes } from './routes/admin.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { jobRoutes } from './routes/jobs.ts';
import { marketRoutes } from './routes/market.ts';
import { walletRoutes } from './routes/wallet.ts';
import { serviceRoutes } from './routes/services.ts';
import { systemRoutes } from './routes/system.ts';
import { taskRoutes } from './routes/tasks.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { registerDashboard } from './plugins/dashboard.ts';
import { mcpRoutes } from './mcp/mcp-endpoint.ts';
import { a2aRoutes } from './a2a/a2a-routes.ts';
import { AgentCardSource } from './a2a/agent-card-source.ts';
import { eventRoutes } from './routes/events.ts';
import { opsListenerRoutes, opsRoutes } from './routes/ops.ts';
import { EventHub } from './sse/event-hub.ts';
import { StreamSlots } from './sse/stream-slots.ts';

export type GatewaySettings = SettingsOf<typeof gatewaySettings>;

export interface Gateway {
  app: FastifyInstance;
  /** The ops listener (OPS_PORT): /healthz, /readyz with details, /metrics; never exposed publicly. */
  ops: FastifyInstance;
  hub: EventHub;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

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
    // Only the listed proxies' X-Forwarded-For is believed; from anyone else it is ignored (false: no proxy).
    trustProxy: settings.TRUST_PROXY.length > 0 ? settings.TRUST_PROXY : false,
    // A slow client cannot hold a socket: the whole request (headers and body) within requestTimeout, else 408 and
    // closed; an idle socket closed after connectionTimeout (SSE streams lift it for themselves: they are long
    // responses, not slow requests). Node enforces it only when given at the server's creation (with a headersTimeout
    // no longer than it), and checks every connectionsCheckingInterval: keep that a fraction of it.
    requestTimeout: settings.REQUEST_TIMEOUT_MS,
    connectionTimeout: settings.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: settings.KEEP_ALIVE_TIMEOUT_MS,
    http: {
      requestTimeout: settings.REQUEST_TIMEOUT_MS,
      headersTimeout: Math.min(60_000, settings.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(1000, Math.floor(settings.REQUEST_TIMEOUT_MS / 4)),
    },
    // Keep the caller's request id when it sends a sane one; it follows the request through NATS.
    genReqId: (request) => {
      const incoming = request.headers[REQUEST_ID_HEADER];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    // Requests are logged once, by our own onResponse hook, with the fields operators search by.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
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
  installSecurityHeaders(app);
  await registerDocs(app);
  // Counted after authentication (the hook verifies the caller itself), shared by every replica through NATS KV.
  const kvTimeoutMs = Math.min(2000, settings.BUS_TIMEOUT_MS);
  const counters = async (bucket: string, windowMs: number) =>
    SharedWindowCounters.open(connection, { bucket, windowMs, replicas: settings.STREAM_REPLICAS, timeoutMs: kvTimeoutMs });
  registerRateLimit(app, {
    perWindow: new WindowLimiter({ counters: await counters(RATE_LIMIT_BUCKETS.perWindow, settings.RATE_LIMIT_WINDOW_MS), windowMs: settings.RATE_LIMIT_WINDOW_MS, name: 'requests', logger: deps.logger }),
    perHour: new WindowLimiter({ counters: await counters(RATE_LIMIT_BUCKETS.hourly, HOUR_MS), windowMs: HOUR_MS, name: 'hourly', logger: deps.logger }),
    limits: {
      perCaller: settings.RATE_LIMIT_PER_KEY,
      perIp: settings.RATE_LIMIT_PER_IP,
      registrationsPerHour: settings.REGISTRATIONS_PER_IP_PER_HOUR,
      loginsPerHour: settings.LOGINS_PER_IP_PER_HOUR,
    },
  });
  // Before every route: each route's declared access is enforced by a preHandler this plugin puts in front of it.
  registerAuthentication(app, {
    bus,
    adminApiKey: settings.ADMIN_API_KEY,
    keyring: keyringFromSettings(settings.JWT_KEYS, settings.JWT_SIGNING_KEY_ID),
    cacheTtlMs: settings.AUTH_CACHE_TTL_MS,
    cacheMaxEntries: settings.AUTH_CACHE_MAX,
  });
  registerIdempotency(app, {
    store: await IdempotencyStore.open(connection, settings.STREAM_REPLICAS, Math.min(2000, settings.BUS_TIMEOUT_MS)),
    waitMs: settings.IDEMPOTENCY_WAIT_MS,
    leaseMs: settings.IDEMPOTENCY_LEASE_MS,
  });

  const profiles = new ProfileCache(settings.PROFILE_CACHE_TTL_MS, settings.PROFILE_CACHE_MAX);
  const cards = new AgentCardSource(app, { ttlMs: settings.AGENT_CARD_CACHE_TTL_MS, maxEntries: settings.PROFILE_CACHE_MAX });
  const slots = new StreamSlots({
    perIp: settings.SSE_MAX_STREAMS_PER_IP,
    perCaller: settings.SSE_MAX_STREAMS_PER_CALLER,
    perReplica: settings.SSE_MAX_STREAMS,
  });
  registerHttpMetrics(app, { registry: deps.metrics.registry, openStreams: () => slots.openStreams });
  // One core-NATS subscription on every replica: any change to an agent drops its cached profile,
  // a key rotation also its cached keys, without waiting for a TTL; a rotation or a suspension ends the
  // agent's SSE streams (opened with a credential that is no longer good).
  connection.subscribe('evt.agent.>', {
    callback: (error, message) => {
      if (error) return;
      try {
        const envelope = decodeJson(message.data) as { type: string; aggregate_id: string };
        profiles.invalidate(envelope.aggregate_id);
        cards.invalidate(envelope.aggregate_id);
        app.authentication.onAgentEvent(envelope);
        if (envelope.type === 'agent_key_rotated' || envelope.type === 'agent_suspended') slots.closeAgent(envelope.aggregate_id);
      } catch (failure) {
        // Anyone on the bus can publish here: a message that is not an envelope is dropped, never thrown.
        deps.logger.warn({ err: failure, subject: message.subject }, 'ignored a malformed agent event');
      }
    },
  });

  // A service published, changed or withdrawn changes its agent's A2A card.
  connection.subscribe('evt.service.>', {
    callback: (error, message) => {
      if (error) return;
      try {
        const envelope = decodeJson(message.data) as { data?: { agent_id?: unknown; service?: { agent_id?: unknown } } };
        const agentId = envelope.data?.service?.agent_id ?? envelope.data?.agent_id;
        if (typeof agentId === 'string') cards.invalidate(agentId);
      } catch (failure) {
        deps.logger.warn({ err: failure, subject: message.subject }, 'ignored a malformed service event');
      }
    },
  });

  // Reputation owns the figures on profiles: its announcements are laid over the cached profiles at once.
  connection.subscribe('evt.reputation.>', {
    callback: (error, message) => {
      if (error) return;
      try {
        const envelope = decodeJson(message.data) as { type: string; aggregate_id: string; aggregate_version: number; data: unknown };
        if (envelope.type !== 'reputation_updated' || !Number.isInteger(envelope.aggregate_version)) return;
        profiles.onReputationUpdated({ ...envelope, data: parseEventData('reputation_updated', envelope.data) });
      } catch (failure) {
        deps.logger.warn({ err: failure, subject: message.subject }, 'ignored a malformed reputation event');
      }
    },
  });

  opsRoutes(app, { bus, connection, metrics: deps.metrics });
  agentRoutes(app, bus, profiles);
  adminRoutes(app, bus);
  serviceRoutes(app, bus);
  jobRoutes(app, bus);
  inboxRoutes(app, bus);
  activityRoutes(app, bus);
  walletRoutes(app, bus);
  marketRoutes(app, bus, settings.STATS_CACHE_MS);
  taskRoutes(app, bus);
  webhookRoutes(app, bus);
  authRoutes(app, bus);
  mcpRoutes(app);
  a2aRoutes(app, { hub, cards, slots, bus, publicUrl: settings.PUBLIC_URL });
  systemRoutes(app, { bus, connection, hub });
  await registerDashboard(app, settings.DASHBOARD_DIR || DEFAULT_DASHBOARD_DIR);
  eventRoutes(app, {
    hub,
    slots,
    jetstream: js,
    manager,
    heartbeatMs: settings.SSE_HEARTBEAT_MS,
    maxBufferBytes: settings.SSE_MAX_BUFFER_BYTES,
    maxReplay: settings.SSE_MAX_REPLAY,
  });
  await app.ready();

  const ops: FastifyInstance = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  opsListenerRoutes(ops, { bus, connection, metrics: deps.metrics });
  await ops.ready();
  hub.start();

  return {
    app,
    ops,
    hub,
    async stop() {
      // SSE connections never end by themselves: close them before Fastify waits for open requests.
      await hub.stop();
      await app.close();
      await ops.close();
    },
  };
}
