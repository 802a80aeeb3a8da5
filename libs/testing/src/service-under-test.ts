import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { MikroORM } from '@mikro-orm/postgresql';
import { pino } from 'pino';
import { loadSettings, type SettingsSpec } from '@agentmarket/config';
import { dropDatabase, ensureDatabase, startNatsServer, type RunningNats } from '@agentmarket/local-infra';
import { BusClient, connectBus, startService, type RunningService, type RuntimeSettings, type ServiceModule } from '@agentmarket/messaging';
import { migrateSchema, openOrm } from '@agentmarket/persistence';
import { eventually } from './marketplace.ts';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ServiceUnderTest {
  databaseUrl: string;
  /** The private nats-server's URL: with `databaseUrl`, what `waitUntilDrained` needs. */
  natsUrl: string;
  nats: RunningNats;
  service: RunningService;
  /** A client connection of the test's own, and its JetStream and request clients. */
  connection: NatsConnection;
  jetstream: JetStreamClient;
  bus: BusClient;
  /** An ORM on the service's schema, for facts the bus API does not show (counts, absence). */
  orm: MikroORM;
  stop(): Promise<void>;
}

/**
 * One service started in-process on private infrastructure: its own
 * nats-server, a fresh database with the service's schema migrated, and a
 * client connection. For a service's own integration tests, below the gateway.
 */
export async function startServiceUnderTest(
  module: ServiceModule,
  settingsSpec: SettingsSpec,
  env: Record<string, string> = {},
): Promise<ServiceUnderTest> {
  const workDir = await mkdtemp(path.join(tmpdir(), `agentmarket-${module.name}-`));
  const databaseName = `am_${module.name}_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const nats = await startNatsServer({ storeDir: path.join(workDir, 'nats') });
  const orm = await openOrm({ databaseUrl, schema: module.schema, entities: module.entities, migrations: module.migrations, poolSize: 2 });
  await migrateSchema(orm, module.schema);
  const settings = loadSettings(settingsSpec, {
    NATS_URL: nats.url,
    DATABASE_URL: databaseUrl,
    DB_POOL_SIZE: '4',
    LOG_LEVEL: 'silent',
    INSTANCE_ID: `${module.name}-test`,
    ...env,
  }) as unknown as RuntimeSettings;
  const service = await startService(module, settings);
  const connection = await connectBus({ servers: nats.url, name: `${module.name}-test-client`, logger: pino({ level: 'silent' }) });
  return {
    databaseUrl,
    natsUrl: nats.url,
    nats,
    service,
    connection,
    jetstream: jetstream(connection),
    bus: new BusClient(connection),
    orm,
    async stop() {
      await connection.close();
      await service.stop();
      await orm.close();
      await nats.stop();
      await dropDatabase(ADMIN_URL, databaseName);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `condition` holds, failing after `timeoutMs`: `eventually` for a plain yes/no. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => condition(), (met) => met, timeoutMs, 25);
}
