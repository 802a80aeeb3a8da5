import { busSettings, commonSettings, int, productionRequired, str } from '@agentmarket/config';
import { trustedProxies } from './limits/trusted-proxies.ts';

export const gatewaySettings = {
  ...commonSettings,
  // The gateway's own doc: its ops listener is the only place /metrics and the readiness details answer without the admin credential.
  OPS_PORT: int('port of the ops listener: /healthz, /readyz with details, /metrics (0 = any free port, logged as ops_port)', 0, { min: 0, max: 65535 }),
  ...busSettings,
  PORT: int('HTTP port of the public API', 8000, { min: 0, max: 65535 }),
  PUBLIC_URL: str('the base URL clients reach the API at (A2A agent cards name their endpoints under it); empty = taken from each request (Host, and X-Forwarded-Proto/Host from trusted proxies)', ''),
  HOST: str('interface the HTTP API binds to', '0.0.0.0'),
  TRUST_PROXY: trustedProxies('addresses or CIDR ranges of the proxies whose X-Forwarded-For is believed, comma-separated; empty = none'),
  BODY_LIMIT_BYTES: int('largest accepted request body', 65_536, { min: 1024 }),
  REQUEST_TIMEOUT_MS: int('longest time a client may take to send a whole request (headers and body); then 408 and the socket is closed', 30_000, { min: 1000 }),
  CONNECTION_TIMEOUT_MS: int('an idle socket (nothing sent or received) is closed after this long (SSE streams are exempt: they have heartbeats)', 60_000, { min: 1000 }),
  KEEP_ALIVE_TIMEOUT_MS: int('how long an idle keep-alive connection waits for its next request', 5000, { min: 100 }),
  RATE_LIMIT_PER_KEY: int('requests per window for one verified caller (agent, person or admin)', 1200, { min: 1 }),
  RATE_LIMIT_PER_IP: int('requests per window for one address without a verified credential', 300, { min: 1 }),
  RATE_LIMIT_WINDOW_MS: int('rate limit window', 60_000, { min: 1000 }),
  REGISTRATIONS_PER_IP_PER_HOUR: int('agent registrations and buyer sign-ups one address may send per hour', 10, { min: 1 }),
  LOGINS_PER_IP_PER_HOUR: int('logins and agent token exchanges one address may send per hour', 30, { min: 1 }),
  BUS_TIMEOUT_MS: int('how long the gateway waits for a service before answering 503', 5000, { min: 100 }),
  AUTH_CACHE_TTL_MS: int('how long a verified API key is trusted without asking identity', 30_000, { min: 0 }),
  AUTH_CACHE_MAX: int('verified API keys kept in memory', 10_000, { min: 0 }),
  PROFILE_CACHE_TTL_MS: int('how long a public agent profile is served from memory (changes invalidate it at once)', 5000, { min: 0 }),
  AGENT_CARD_CACHE_TTL_MS: int('how long what an A2A agent card shows is served from memory (agent and service events invalidate it at once)', 30_000, { min: 0 }),
  PROFILE_CACHE_MAX: int('public agent profiles kept in memory', 10_000, { min: 0 }),
  SSE_HEARTBEAT_MS: int('interval of the SSE comment heartbeat', 15_000, { min: 100, max: 15_000 }),
  SSE_MAX_BUFFER_BYTES: int('unsent bytes a slow SSE client may accumulate before it is dropped', 1_048_576, { min: 1024 }),
  SSE_MAX_REPLAY: int('most events replayed to one reconnecting SSE client', 10_000, { min: 0 }),
  SSE_MAX_STREAMS_PER_IP: int('concurrent SSE streams of one address without a verified credential', 10, { min: 1 }),
  SSE_MAX_STREAMS_PER_CALLER: int('concurrent SSE streams of one verified caller (agent or person)', 5, { min: 1 }),
  SSE_MAX_STREAMS: int('concurrent SSE streams of this gateway replica', 10_000, { min: 1 }),
  ADMIN_API_KEY: str('the operator key sent as X-Admin-Key (credit wallets, resolve disputes); empty = no admin', ''),
  IDEMPOTENCY_WAIT_MS: int('how long a duplicate request waits for the first one with its Idempotency-Key', 10_000, { min: 100 }),
  // A request holds its claim for at most a few bus deadlines; past that its gateway died, and the service's own record keeps a rerun safe.
  IDEMPOTENCY_LEASE_MS: int('after this long a claimed Idempotency-Key whose request never finished may run again', 15_000, { min: 1000 }),
  // Identity refuses to run without keys in production, so a gateway without them would refuse every token it issues.
  JWT_KEYS: productionRequired(str("HS256 keys 'kid:secret,…' (secrets ≥ 32 characters), the same as identity's; empty = Bearer tokens refused", '')),
  JWT_SIGNING_KEY_ID: str('the key id identity signs with (needed when JWT_KEYS has several)', ''),
  DASHBOARD_DIR: str('the built dashboard served at / (default: apps/dashboard/dist of this checkout)', ''),
  STATS_CACHE_MS: int('how long GET /api/stats and /api/graph are served from memory', 1000, { min: 0 }),
};
