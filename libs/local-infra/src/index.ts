export { findFreePort } from './find-free-port.ts';
export { startNatsServer, type NatsServerOptions, type RunningNats } from './nats-server.ts';
export { NATS_INSTALL_HINT, resolveNatsBinary } from './nats-binary.ts';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from './embedded-postgres.ts';
export { canConnectPostgres, databaseUrl, dropDatabase, ensureDatabase } from './databases.ts';
export * from './service-process.ts';
export { DEFAULT_RESTART_POLICY, restartDelayMs, type RestartPolicy } from './restart-policy.ts';
export type { SupervisionState, SupervisionStatus } from './supervision-state.ts';
