import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import { loadSettings } from '@agentmarket/config';
import { STREAMS, eventEnvelopeSchema, type EventEnvelope } from '@agentmarket/contracts';
import { dropDatabase, ensureDatabase, startNatsServer } from '@agentmarket/local-infra';
import { BusClient, connectBus, decodeJson, startService } from '@agentmarket/messaging';
import { migrateSchema, openOrm } from '@agentmarket/persistence';
import { pino } from 'pino';
import { catalogModule } from '../src/catalog.module.ts';
import { catalogSettings } from '../src/config.ts';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A private nats-server, a fresh migrated database, the catalog started
 * in-process, and a client connection that records every `evt.service.*`
 * event reaching the EVENTS stream.
 */
export async function startCatalogFixture() {
  const workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-catalog-'));
  const databaseName = `am_catalog_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const nats = await startNatsServer({ storeDir: path.join(workDir, 'nats') });
  const migrationOrm = await openOrm({ databaseUrl, schema: catalogModule.schema, entities: catalogModule.entities, migrations: catalogModule.migrations, poolSize: 1 });
  await migrateSchema(migrationOrm, catalogModule.schema);
  await migrationOrm.close();

  const settings = loadSettings(catalogSettings, { NATS_URL: nats.url, DATABASE_URL: databaseUrl, DB_POOL_SIZE: '4', LOG_LEVEL: 'silent', INSTANCE_ID: 'catalog-test' });
  const service = await startService(catalogModule, settings);
  const connection = await connectBus({ servers: nats.url, name: 'catalog-test-client', logger: pino({ level: 'silent' }) });
  const js = jetstream(connection);

  const serviceEvents: EventEnvelope[] = [];
  const reader = await js.consumers.get(STREAMS.events.name, { filter_subjects: 'evt.service.>' });
  const messages: ConsumerMessages = await reader.consume();
  void (async () => {
    for await (const message of messages) serviceEvents.push(eventEnvelopeSchema.parse(decodeJson(message.data)) as EventEnvelope);
  })();

  return {
    bus: new BusClient(connection),
    jetstream: js,
    service,
    serviceEvents,
    async stop() {
      await messages.close();
      await connection.close();
      await service.stop();
      await nats.stop();
      await dropDatabase(ADMIN_URL, databaseName);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `condition` holds, failing after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
