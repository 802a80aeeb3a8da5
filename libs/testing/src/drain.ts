import pg from 'pg';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { consumerBacklogs, type ConsumerBacklog } from './consumer-backlog.ts';
import { outboxBacklogs, type OutboxBacklog } from './outbox-backlog.ts';

/** Where the market keeps its in-flight work: a database with the services' outboxes, and the bus. A TestStack is one. */
export interface DrainTarget {
  natsUrl: string;
  databaseUrl: string;
  /** The bus users, when the server has them: the drain then connects as `operator` (it reads every consumer). */
  natsAuth?: { passwords: { operator: string } } | undefined;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
/**
 * A backlog is looked at less often the bigger it is, up to this: reading
 * consumers far behind their stream is dear for nats-server 2.9. Measured
 * with nine consumers catching up on 28,000 messages: ten looks a second
 * cost the server about 85 ms each and tripled its CPU per message
 * delivered (7 → 24 µs), slowing the very drain being waited for. A small
 * backlog is still looked at every 100 ms.
 */
const MAX_POLL_INTERVAL_MS = 1000;
const pollIntervalFor = (items: number) => Math.min(MAX_POLL_INTERVAL_MS, POLL_INTERVAL_MS + Math.floor(items / 10));
/**
 * A piece of work is always visible in one of the two places — the relay
 * marks a row sent only after the stream stored it, and a consumer acks only
 * after the transaction that wrote its follow-up rows committed — but the two
 * places are read one after the other, so work that moves between them
 * during one look can be missed. A second quiet look in a row closes that gap.
 */
const QUIET_LOOKS_REQUIRED = 2;

/**
 * Resolves once the market has nothing in flight: no outbox row of any
 * schema waits for the relay, and no durable consumer on EVENTS or WORK has
 * a message pending or awaiting its ack — seen twice in a row. Use it
 * before asserting that something did NOT happen (no duplicate, no second
 * call), or that every effect of what the test did is in place.
 *
 * It says nothing about timers and polling loops (expiry, hire recovery):
 * work they have not started yet is not in flight. Rejects after
 * `timeoutMs` (30 s) naming every outbox and consumer still holding work.
 * Resolves with what it waited for (the bench counts work a load left
 * behind as part of that load's cost).
 */
export async function waitUntilDrained(target: DrainTarget, options: { timeoutMs?: number } = {}): Promise<DrainWait> {
  const startedAt = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const db = new pg.Client({ connectionString: target.databaseUrl, application_name: 'wait-until-drained' });
  let connection: NatsConnection | undefined;
  try {
    await db.connect();
    connection = await connect({
      servers: target.natsUrl.split(',').map((server) => server.trim()),
      name: 'wait-until-drained',
      ...(target.natsAuth ? { user: 'operator', pass: target.natsAuth.passwords.operator } : {}),
    });
    const manager = await jetstreamManager(connection);
    let quietLooks = 0;
    let firstBacklog: number | undefined;
    let lastBusyAt = startedAt;
    for (;;) {
      const backlog = await lookForWork(db, manager);
      const items = itemsIn(backlog);
      firstBacklog ??= items;
      if (!isEmpty(backlog)) lastBusyAt = Date.now();
      quietLooks = isEmpty(backlog) ? quietLooks + 1 : 0;
      if (quietLooks >= QUIET_LOOKS_REQUIRED) return { backlogAtStart: firstBacklog, drainedAfterMs: lastBusyAt - startedAt };
      // A quiet look at the deadline still gets its confirming second look.
      if (quietLooks === 0 && Date.now() >= deadline) {
        throw new Error(`The market did not drain within ${timeoutMs} ms; still in flight: ${describeBacklog(backlog)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollIntervalFor(items)));
    }
  } finally {
    await connection?.close().catch(() => {});
    await db.end().catch(() => {});
  }
}

/** What a drain waited for. */
export interface DrainWait {
  /** Outbox rows unsent plus consumer messages pending or awaiting an ack, at the first look. */
  backlogAtStart: number;
  /** From the call to the last look that still saw work (0 when the first look saw none): the confirming looks are not counted. */
  drainedAfterMs: number;
}

interface Backlog {
  outboxes: OutboxBacklog[];
  consumers: ConsumerBacklog[];
}

async function lookForWork(db: pg.Client, manager: JetStreamManager): Promise<Backlog> {
  const outboxes = await outboxBacklogs(db);
  const consumers = await consumerBacklogs(manager);
  return { outboxes, consumers };
}

function itemsIn(backlog: Backlog): number {
  let items = 0;
  for (const outbox of backlog.outboxes) items += outbox.unsent;
  for (const consumer of backlog.consumers) items += consumer.pending + consumer.awaitingAck;
  return items;
}

function isEmpty(backlog: Backlog): boolean {
  return backlog.outboxes.length === 0 && backlog.consumers.length === 0;
}

/** e.g. `outbox of jobs: 2 unsent; consumer EVENTS/messaging__activity_log: 3 pending, 1 awaiting ack`. */
function describeBacklog(backlog: Backlog): string {
  return [
    ...backlog.outboxes.map((outbox) => `outbox of ${outbox.schema}: ${outbox.unsent} unsent`),
    ...backlog.consumers.map((consumer) => `consumer ${consumer.stream}/${consumer.durable}: ${consumer.pending} pending, ${consumer.awaitingAck} awaiting ack`),
  ].join('; ');
}
