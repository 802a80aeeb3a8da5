import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, SYSTEM_ACTOR, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { dropDatabase, ensureDatabase } from '@agentmarket/local-infra';
import { eventRecordTimeIndexesDdl, openOrm, outboxAndInboxDdl, pruneEventRecords } from '@agentmarket/persistence';
import { EVENT_RECORD_RETENTION_DAYS } from '../src/inbox-retention.ts';
import { eventConsumer } from '../src/event-consumer.ts';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = 'retention_test';
const databaseName = `am_retention_${randomBytes(6).toString('hex')}`;
let orm: Awaited<ReturnType<typeof openOrm>>;

beforeAll(async () => {
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  orm = await openOrm({ databaseUrl, schema: SCHEMA, entities: [], migrations: [] });
  const sql = orm.em.getConnection();
  await sql.execute(`create schema ${SCHEMA}`);
  for (const statement of [...outboxAndInboxDdl(SCHEMA), ...eventRecordTimeIndexesDdl(SCHEMA)]) await sql.execute(statement);
});
afterAll(async () => {
  await orm?.close();
  await dropDatabase(ADMIN_URL, databaseName);
});

const sql = () => orm.em.getConnection();

/** An outbox row written `writtenDaysAgo` days ago and sent `sentDaysAgo` days ago (null: not sent). */
async function outboxRow(note: string, writtenDaysAgo: number, sentDaysAgo: number | null): Promise<void> {
  await sql().execute(
    `insert into ${SCHEMA}.outbox (id, subject, envelope, created_at, published_at)
     values (?, 'evt.test', ?::jsonb, now() - make_interval(days => ?), case when ?::int is null then null else now() - make_interval(days => ?::int) end)`,
    [uuidv7(), JSON.stringify({ note }), writtenDaysAgo, sentDaysAgo, sentDaysAgo],
  );
}

async function inboxRow(consumer: string, processedDaysAgo: number): Promise<void> {
  await sql().execute(`insert into ${SCHEMA}.inbox (consumer, event_id, processed_at) values (?, ?, now() - make_interval(days => ?))`, [consumer, uuidv7(), processedDaysAgo]);
}

const outboxNotes = async () =>
  ((await sql().execute(`select envelope->>'note' as note from ${SCHEMA}.outbox order by note`)) as { note: string }[]).map((row) => row.note);
const inboxConsumers = async () =>
  ((await sql().execute(`select consumer from ${SCHEMA}.inbox order by consumer`)) as { consumer: string }[]).map((row) => row.consumer);

describe('outbox and inbox retention', () => {
  it('keeps the rows of every message a stream may still hold: a day past the longest stream age', () => {
    // EVENTS and AUDIT keep messages 30 days.
    expect(EVENT_RECORD_RETENTION_DAYS).toBe(31);
  });

  it('deletes sent outbox rows and inbox rows past the retention, in bounded statements, and nothing else', async () => {
    const retention = EVENT_RECORD_RETENTION_DAYS;
    for (let i = 0; i < 7; i += 1) await outboxRow(`sent-long-ago-${i}`, retention + 5, retention + 4);
    await outboxRow('never-sent', retention + 10, null);
    await outboxRow('written-long-ago-sent-recently', retention + 3, 2);
    await outboxRow('recent', 1, 1);
    for (let i = 0; i < 5; i += 1) await inboxRow(`processed-long-ago-${i}`, retention + 1);
    await inboxRow('processed-recently', retention - 1);

    // Three rows per statement: the seven old outbox rows take three statements, the five inbox rows two.
    const pruned = await pruneEventRecords(orm.em.fork(), SCHEMA, { olderThanDays: retention, rowsPerDelete: 3 });
    expect(pruned).toEqual({ outbox: 7, inbox: 5 });
    expect(await outboxNotes()).toEqual(['never-sent', 'recent', 'written-long-ago-sent-recently']);
    expect(await inboxConsumers()).toEqual(['processed-recently']);

    // Again: nothing is due, nothing changes.
    expect(await pruneEventRecords(orm.em.fork(), SCHEMA, { olderThanDays: retention })).toEqual({ outbox: 0, inbox: 0 });
    expect(await outboxNotes()).toHaveLength(3);
  });

  it('stops after the statement under way once its signal aborts, and leaves the rest for the next prune', async () => {
    for (let i = 0; i < 6; i += 1) await inboxRow(`stopped-${i}`, EVENT_RECORD_RETENTION_DAYS + 2);
    const stopping = new AbortController();
    stopping.abort();
    expect(await pruneEventRecords(orm.em.fork(), SCHEMA, { olderThanDays: EVENT_RECORD_RETENTION_DAYS, rowsPerDelete: 2, signal: stopping.signal })).toEqual({ outbox: 0, inbox: 0 });
    expect(await pruneEventRecords(orm.em.fork(), SCHEMA, { olderThanDays: EVENT_RECORD_RETENTION_DAYS, rowsPerDelete: 2, deletesPerPrune: 2 })).toEqual({ outbox: 0, inbox: 4 });
    expect(await pruneEventRecords(orm.em.fork(), SCHEMA, { olderThanDays: EVENT_RECORD_RETENTION_DAYS, rowsPerDelete: 2 })).toEqual({ outbox: 0, inbox: 2 });
  });
});

const DAY_MS = 24 * 60 * 60 * 1000;
const credit = (amount: number, daysAgo: number): EventEnvelope => ({
  id: uuidv7(),
  type: 'wallet_credited',
  occurred_at: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
  aggregate_id: uuidv7(),
  aggregate_version: 1,
  actor: SYSTEM_ACTOR,
  data: { currency: 'USD', amount },
});

describe('an event older than inbox rows are kept', () => {
  it('is a duplicate: a restore brought it back after its inbox row was pruned, and it is not applied again', async () => {
    const applied: number[] = [];
    const consumer = eventConsumer({
      declaration: CONSUMERS.payments.starterGrants,
      reads: ['wallet_credited'],
      orm,
      schema: SCHEMA,
      apply: async (_em, events) => void applied.push(...events.map((event) => event.envelope.data.amount as number)),
    });
    const context = { logger: undefined as never };
    const broughtBack = credit(1, EVENT_RECORD_RETENTION_DAYS + 1);
    const recent = credit(2, EVENT_RECORD_RETENTION_DAYS - 1);
    // handleBatch resolves to how many the inbox treated as seen before.
    expect(await consumer.handleBatch?.([broughtBack, recent], context)).toBe(1);
    expect(applied).toEqual([2]);
    expect(await consumer.handle(credit(3, EVENT_RECORD_RETENTION_DAYS + 2), context)).toBe('duplicate');
    expect(await consumer.handle(recent, context)).toBe('duplicate');
    expect(applied).toEqual([2]);
    // Only the applied event has an inbox row.
    const rows = (await sql().execute(`select event_id from ${SCHEMA}.inbox where consumer = ?`, [CONSUMERS.payments.starterGrants.durable])) as { event_id: string }[];
    expect(rows.map((row) => row.event_id)).toEqual([recent.id]);
  });
});
