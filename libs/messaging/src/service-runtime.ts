import { hostname } from 'node:os';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { MigrationObject } from '@mikro-orm/core';
import type { EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import { STREAMS, pingSubject, type ConsumerDeclaration, type EventEnvelope, type ServiceName } from '@agentmarket/contracts';
import { collectWhenIdle, createLogger, createMetrics, guardProcess, startOpsServer, type Logger, type ProcessMetrics } from '@agentmarket/observability';
import { openOrm } from '@agentmarket/persistence';
import { oneLine } from '@agentmarket/config';
import { connectBus } from './connection.ts';
import { runConsumer, type HandleOutcome } from './consumer-runner.ts';
import { startRetentionPruner } from './retention-pruner.ts';
import { startOutboxRelay } from './outbox-relay.ts';
import { BusClient } from './request-client.ts';
import { handler, serveRequests, type RequestHandler } from './responder.ts';
import { exitWhenOrphaned, onShutdown } from './shutdown.ts';
import { applyBusTopology } from './streams.ts';
import { z } from 'zod';

/** What a service needs at run time; handed to its handlers. */
export interface ServiceContext {
  orm: MikroORM;
  bus: BusClient;
  jetstream: JetStreamClient;
  logger: Logger;
  metrics: ProcessMetrics;
}

export interface ConsumerSpec {
  declaration: ConsumerDeclaration;
  handle(envelope: EventEnvelope, context: { logger: Logger }): Promise<HandleOutcome>;
  /** Several events in one transaction (see runConsumer); optional. Resolves to how many of them had been applied before. */
  handleBatch?(envelopes: EventEnvelope[], context: { logger: Logger }): Promise<number | void>;
}

/** A service described as data: the runtime wires it to Postgres, NATS and the ops port. */
export interface ServiceModule {
  name: ServiceName;
  schema: string;
  entities: EntitySchema[];
  migrations: MigrationObject[];
  requestHandlers(context: ServiceContext): Record<string, RequestHandler>;
  consumers?(context: ServiceContext): ConsumerSpec[];
  /** Loops the service runs beside its handlers (timers, pollers); stopped first on shutdown. */
  background?(context: ServiceContext): BackgroundTask[];
  /** Facts for /readyz that do not make the service unready, e.g. the executor's model status. */
  readinessDetails?(context: ServiceContext): () => Record<string, unknown>;
}

export interface BackgroundTask {
  stop(): Promise<void>;
}

export interface RuntimeSettings {
  NATS_URL: string;
  DATABASE_URL: string;
  DB_POOL_SIZE: number;
  LOG_LEVEL: string;
  LOG_PRETTY: '0' | '1';
  OPS_PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
  INSTANCE_ID: string;
  STREAM_REPLICAS: number;
  EVENT_BATCH_INTERVAL_MS: number;
}

export interface RunningService {
  context: ServiceContext;
  connection: NatsConnection;
  opsPort: number;
  stop(): Promise<void>;
}

/**
 * Starts one service process: ORM on its schema (refusing to run on an
 * unmigrated schema), bus connection, stream/consumer declarations, outbox
 * relay, request handlers, durable consumers, and /healthz /readyz /metrics.
 */
export async function startService(module: ServiceModule, settings: RuntimeSettings): Promise<RunningService> {
  const instance = settings.INSTANCE_ID || `${hostname()}-${process.pid}`;
  const logger = createLogger({ service: module.name, level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY === '1', instance });
  const metrics = createMetrics(module.name);
  const unguard = guardProcess({ logger, metrics });
  const stopIdleCollector = collectWhenIdle();
  const orm = await openOrm({
    databaseUrl: settings.DATABASE_URL,
    schema: module.schema,
    entities: module.entities,
    migrations: module.migrations,
    poolSize: settings.DB_POOL_SIZE,
  });
  const pending = await orm.migrator.getPending();
  if (pending.length > 0) {
    await orm.close();
    throw new Error(
      `Schema "${module.schema}" has ${pending.length} pending migration(s) (${pending.map((m) => m.name).join(', ')}). Run \`npm run migrate\` first.`,
    );
  }
  const connection = await connectBus({ servers: settings.NATS_URL, name: `${module.name}:${instance}`, logger });
  const js = jetstream(connection);
  const bus = new BusClient(connection);
  const context: ServiceContext = { orm, bus, jetstream: js, logger, metrics };
  const consumerSpecs = module.consumers?.(context) ?? [];
  await applyBusTopology(connection, {
    streams: Object.values(STREAMS),
    consumers: consumerSpecs.map((spec) => spec.declaration),
    replicas: settings.STREAM_REPLICAS,
    logger,
  });
  const relay = startOutboxRelay({ orm, schema: module.schema, jetstream: js, logger, metrics });
  const responder = serveRequests(connection, {
    service: module.name,
    logger,
    metrics,
    handlers: {
      ...module.requestHandlers(context),
      // The gateway's /readyz and /api/system ask this: it answers for the database too.
      [pingSubject(module.name)]: handler(z.unknown(), async () => ({ service: module.name, instance, database: await databaseHealth(orm) })),
    },
  });
  const consumers = consumerSpecs.map((spec) =>
    runConsumer({
      jetstream: js,
      stream: spec.declaration.stream,
      durable: spec.declaration.durable,
      maxDeliver: spec.declaration.maxDeliver,
      workingIntervalMs: (spec.declaration.ackWaitSeconds * 1000) / 3,
      minBatchIntervalMs: settings.EVENT_BATCH_INTERVAL_MS,
      handle: spec.handle,
      handleBatch: spec.handleBatch,
      logger,
      metrics,
    }),
  );
  const background = [...(module.background?.(context) ?? []), await startRetentionPruner(orm, module.schema, logger)];
  const ops = await startOpsServer({
    port: settings.OPS_PORT,
    registry: metrics.registry,
    details: module.readinessDetails?.(context),
    readiness: {
      database: async () => {
        await orm.em.getConnection().execute('select 1');
        return true;
      },
      bus: async () => (connection.isClosed() ? 'closed' : true),
    },
  });
  logger.info({ ops_port: ops.port, schema: module.schema }, `${module.name} ready`);

  const stop = async () => {
    await Promise.all(background.map((task) => task.stop()));
    await responder.stop();
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await relay.flush();
    await relay.stop();
    await connection.drain();
    await orm.close();
    await ops.close();
    unguard();
    stopIdleCollector();
  };
  return { context, connection, opsPort: ops.port, stop };
}

async function databaseHealth(orm: MikroORM): Promise<string> {
  try {
    await orm.em.getConnection().execute('select 1');
    return 'ok';
  } catch (error) {
    return `unreachable: ${(error as Error).message}`;
  }
}

/** The entry point of a service process: start, and stop cleanly on SIGTERM/SIGINT. */
export async function runServiceProcess(module: ServiceModule, settings: RuntimeSettings): Promise<void> {
  exitWhenOrphaned();
  try {
    const running = await startService(module, settings);
    onShutdown(running.context.logger, settings.SHUTDOWN_TIMEOUT_MS, [['service', running.stop]]);
  } catch (error) {
    // One readable line, whatever the error's own line breaks: this is what an operator sees first
    // in `kubectl logs` or `docker compose logs` when a start fails.
    process.stderr.write(`${module.name} failed to start: ${oneLine((error as Error).message)}\n`);
    process.exit(1);
  }
}
