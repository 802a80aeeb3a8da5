import { busSettings, commonSettings, int, oneOf, str } from '@agentmarket/config';

// The gateway serves /healthz, /readyz and /metrics on its API port, so it has no OPS_PORT.
const { OPS_PORT: _servedOnPort, ...gatewayCommonSettings } = commonSettings;

export const gatewaySettings = {
  ...gatewayCommonSettings,
  ...busSettings,
  PORT: int('HTTP port of the public API', 8000, { min: 0, max: 65535 }),
  HOST: str('interface the HTTP API binds to', '0.0.0.0'),
  TRUST_PROXY: oneOf('1 = take the client IP from X-Forwarded-For (behind a load balancer)', ['0', '1'], '0'),
  BODY_LIMIT_BYTES: int('largest accepted request body', 65_536, { min: 1024 }),
  RATE_LIMIT_PER_KEY: int('requests per window for one API key', 1200, { min: 1 }),
  RATE_LIMIT_PER_IP: int('requests per window for one IP without a key', 300, { min: 1 }),
  RATE_LIMIT_WINDOW_MS: int('rate limit window', 60_000, { min: 1000 }),
  BUS_TIMEOUT_MS: int('how long the gateway waits for a service before answering 503', 5000, { min: 100 }),
  AUTH_CACHE_TTL_MS: int('how long a verified API key is trusted without asking identity', 30_000, { min: 0 }),
  AUTH_CACHE_MAX: int('verified API keys kept in memory', 10_000, { min: 0 }),
  PROFILE_CACHE_TTL_MS: int('how long a public agent profile is served from memory (changes invalidate it at once)', 5000, { min: 0 }),
  PROFILE_CACHE_MAX: int('public agent profiles kept in memory', 10_000, { min: 0 }),
  SSE_HEARTBEAT_MS: int('interval of the SSE comment heartbeat', 15_000, { min: 100, max: 15_000 }),
  SSE_MAX_BUFFER_BYTES: int('unsent bytes a slow SSE client may accumulate before it is dropped', 1_048_576, { min: 1024 }),
  SSE_MAX_REPLAY: int('most events replayed to one reconnecting SSE client', 10_000, { min: 0 }),
  ADMIN_API_KEY: str('the operator key sent as X-Admin-Key (credit wallets, resolve disputes); empty = no admin', ''),
  IDEMPOTENCY_WAIT_MS: int('how long a duplicate request waits for the first one with its Idempotency-Key', 10_000, { min: 100 }),
  // A request holds its claim for at most a few bus deadlines; past that its gateway died, and the service's own record keeps a rerun safe.
  IDEMPOTENCY_LEASE_MS: int('after this long a claimed Idempotency-Key whose request never finished may run again', 15_000, { min: 1000 }),
  JWT_KEYS: str("HS256 keys 'kid:secret,…' (secrets ≥ 32 characters), the same as identity's; empty = Bearer tokens refused", ''),
  JWT_SIGNING_KEY_ID: str('the key id identity signs with (needed when JWT_KEYS has several)', ''),
  LOGIN_RATE_LIMIT_PER_IP: int('sign-ups, and separately logins, one IP may send per RATE_LIMIT_WINDOW_MS', 20, { min: 1 }),
  DASHBOARD_DIR: str('the built dashboard served at / (default: apps/dashboard/dist of this checkout)', ''),
  STATS_CACHE_MS: int('how long GET /api/stats and /api/graph are served from memory', 1000, { min: 0 }),
};
