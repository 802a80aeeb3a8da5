import { int, oneOf, str, url } from './settings.ts';

/** Settings every service process reads. */
export const commonSettings = {
  NATS_URL: url('NATS server(s), comma-separated', 'nats://127.0.0.1:4222'),
  LOG_LEVEL: oneOf('pino log level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  LOG_PRETTY: oneOf('1 = human-readable logs (development only)', ['0', '1'], '0'),
  OPS_PORT: int('port of this process’s /healthz, /readyz and /metrics (0 = any free port)', 0, { min: 0, max: 65535 }),
  SHUTDOWN_TIMEOUT_MS: int('how long a graceful shutdown may take before the process exits anyway', 10_000, { min: 100 }),
  INSTANCE_ID: str('name of this replica in logs (defaults to hostname-pid)', ''),
};

/** Settings of a service that owns a database schema. */
export const databaseSettings = {
  DATABASE_URL: url('PostgreSQL connection URL', 'postgres://postgres@127.0.0.1:5432/agentmarket'),
  DB_POOL_SIZE: int('max connections of this process’s pool', 10, { min: 1, max: 200 }),
};

/** Settings of a process that declares streams. */
export const busSettings = {
  STREAM_REPLICAS: int('JetStream replicas of each stream (1 on a single server, 3 on a cluster)', 1, { min: 1, max: 5 }),
};
