import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { loadSettings } from '@agentmarket/config';
import { STREAMS, subjectForEvent, type EventEnvelope, type EventType } from '@agentmarket/contracts';
import { dropDatabase, ensureDatabase, startNatsServer } from '@agentmarket/local-infra';
import { BusClient, connectBus, encodeJson, startService } from '@agentmarket/messaging';
import { migrateSchema, openOrm } from '@agentmarket/persistence';
import { messagingSettings } from '../src/config.ts';
import { messagingModule } from '../src/messaging.module.ts';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A private nats-server, a fresh migrated database, the messaging service
 * running in-process, and a client connection that publishes events and
 * asks the service over the bus.
 */
export async function startMessagingFixture() {
  const workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-messaging-'));
  const databaseName = `am_messaging_${randomBytes(6).toString('hex')}`;
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const nats = await startNatsServer({ storeDir: path.join(workDir, 'nats') });
  const orm = await openOrm({
    databaseUrl,
    schema: messagingModule.schema,
    entities: messagingModule.entities,
    migrations: messagingModule.migrations,
    poolSize: 2,
  });
  await migrateSchema(orm, messagingModule.schema);
  const service = await startService(
    messagingModule,
    loadSettings(messagingSettings, { NATS_URL: nats.url, DATABASE_URL: databaseUrl, DB_POOL_SIZE: '4', LOG_LEVEL: 'silent', INSTANCE_ID: 'test' }),
  );
  const connection = await connectBus({ servers: nats.url, name: 'messaging-test', logger: pino({ level: 'silent' }) });
  const js = jetstream(connection);
  const bus = new BusClient(connection);

  /** Rows of the service's own tables, for facts the bus API does not show (counts, absence). */
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    orm.em.fork().getConnection().execute<T[]>(query, params, 'all');

  return {
    bus,
    sql,
    /** Publishes an event as the outbox relay would: to its subject, with its id as Nats-Msg-Id unless told otherwise. */
    publish: (envelope: EventEnvelope, msgID: string = envelope.id) =>
      js.publish(subjectForEvent(envelope.type as EventType), encodeJson(envelope), { msgID }),
    publishRaw: (subject: string, envelope: EventEnvelope) => js.publish(subject, encodeJson(envelope), { msgID: envelope.id }),
    /** How many messages the EVENTS stream holds on one subject. */
    async streamCount(subject: string): Promise<number> {
      const manager = await jetstreamManager(connection);
      const info = await manager.streams.info(STREAMS.events.name, { subjects_filter: subject });
      return info.state.subjects?.[subject] ?? 0;
    },
    /** The last envelope on a subject of EVENTS (or of another stream), if any. */
    async lastOnSubject(subject: string, stream: string = STREAMS.events.name): Promise<EventEnvelope | undefined> {
      const manager = await jetstreamManager(connection);
      return (await manager.streams.getMessage(stream, { last_by_subj: subject }))?.json<EventEnvelope>();
    },
    async stop() {
      await service.stop();
      await connection.close();
      await orm.close();
      await nats.stop();
      await dropDatabase(ADMIN_URL, databaseName);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

export type MessagingFixture = Awaited<ReturnType<typeof startMessagingFixture>>;

export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
