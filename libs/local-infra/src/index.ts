export { findFreePort } from './find-free-port.ts';
export { startNatsServer, type NatsServerOptions, type RunningNats } from './nats-server.ts';
export { NATS_INSTALL_HINT, resolveNatsBinary } from './nats-binary.ts';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from './embedded-postgres.ts';
export { canConnectPostgres, databaseUrl, dropDatabase, ensureDatabase } from './databases.ts';
export * from './service-process.ts';
