import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { AckPolicy, DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAMS } from '@agentmarket/contracts';
import { dropDatabase, ensureDatabase, startNatsServer } from '@agentmarket/local-infra';
import { createMetrics } from '@agentmarket/observability';
import { openOrm, outboxAndInboxDdl } from '@agentmarket/persistence';
import { applyBusTopology, connectBus } from '@agentmarket/messaging';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/** The one service-like schema of the fixture: an outbox, an inbox, and a table of effects. */
export const SCHEMA = 'drain_test';

/**
 * The smallest market `waitUntilDrained` can look at: a private nats-server
 * with the market's streams, and a fresh database with one schema carrying
 * an outbox. No service runs; each test adds the relay or consumers it needs.
 */
export async function startDrainFixture() {
  const workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-drain-'));
  const databaseName = `am_drain_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const nats = await startNatsServer({ storeDir: path.join(workDir, 'nats') });
  const logger = pino({ level: 'silent' });
  const orm = await openOrm({ databaseUrl, schema: SCHEMA, entities: [], migrations: [], poolSize: 4 });
  const sql = orm.em.getConnection();
  await sql.execute(`create schema ${SCHEMA}`);
  for (const statement of outboxAndInboxDdl(SCHEMA)) await sql.execute(statement);
  await sql.execute(`create table ${SCHEMA}.effects (event_id uuid not null, hop int not null)`);
  const connection = await connectBus({ servers: nats.url, name: 'drain-test', logger });
  const manager = await applyBusTopology(connection, { streams: Object.values(STREAMS), consumers: [], replicas: 1, logger });
  return {
    natsUrl: nats.url,
    databaseUrl,
    orm,
    connection,
    manager,
    jetstream: jetstream(connection),
    logger,
    metrics: createMetrics('drain-test'),
    /** A durable pull consumer of the EVENTS subject `subject` that nothing runs: the test moves its messages by hand. */
    async addIdleConsumer(durable: string, subject: string) {
      await manager.consumers.add(STREAMS.events.name, {
        durable_name: durable,
        filter_subject: subject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        // Long: a message the test holds must stay awaiting its ack, not be redelivered behind its back.
        ack_wait: nanos(60_000),
      });
      return jetstream(connection).consumers.get(STREAMS.events.name, durable);
    },
    async stop() {
      await connection.close();
      await orm.close();
      await nats.stop();
      await dropDatabase(ADMIN_URL, databaseName);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
