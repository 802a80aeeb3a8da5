import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAMS, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { applyBusTopology, applyOnce, encodeJson, runConsumer, startOutboxRelay } from '@agentmarket/messaging';
import { appendToOutbox, type NewEvent } from '@agentmarket/persistence';
import { waitUntilDrained } from '../src/drain.ts';
import { eventually } from '../src/marketplace.ts';
import { SCHEMA, startDrainFixture } from './drain-fixture.ts';

let fixture: Awaited<ReturnType<typeof startDrainFixture>>;
beforeAll(async () => {
  fixture = await startDrainFixture();
});
afterAll(async () => fixture?.stop());

// Each test has its own subject under evt.drain.>, so one test's messages are never another's consumer's backlog.
const event = (subject: string, data: Record<string, unknown> = {}): NewEvent => {
  const agentId = uuidv7();
  // The payload an agent_updated must carry (the producer checks it against the contract), plus the test's own fields.
  return { type: 'agent_updated', aggregateId: agentId, aggregateVersion: 1, actor: { type: 'system', id: null }, data: { agent: { id: agentId }, ...data }, subject };
};
const writeToOutbox = (subject: string, data: Record<string, unknown> = {}) =>
  fixture.orm.em.fork().transactional((em) => appendToOutbox(em, SCHEMA, [event(subject, data)]));
const publish = (subject: string) => {
  const envelope: EventEnvelope = { id: uuidv7(), type: 'agent_updated', occurred_at: new Date().toISOString(), aggregate_id: uuidv7(), aggregate_version: 1, actor: { type: 'system', id: null }, data: {} };
  return fixture.jetstream.publish(subject, encodeJson(envelope), { msgID: envelope.id });
};
const count = async (sql: string) => Number((await fixture.orm.em.getConnection().execute<{ n: string }[]>(sql))[0]?.n);
const relayFor = () => startOutboxRelay({ ...fixture, schema: SCHEMA });

/** The backends of drains (by application name) that have read the outboxes and are idle after it, by pid. */
const drainsDoneReadingOutboxes = async () =>
  new Set(
    (
      await fixture.orm.em
        .getConnection()
        .execute<{ pid: number }[]>(
          `select pid from pg_stat_activity where application_name = 'wait-until-drained' and state = 'idle' and query like '%where published_at is null%'`,
        )
    ).map((row) => row.pid),
  );

/** waitUntilDrained gives up after a short timeout, and its message names what is still in flight. */
const expectStillInFlight = (what: RegExp) => expect(waitUntilDrained(fixture, { timeoutMs: 300 })).rejects.toThrow(what);

describe('waitUntilDrained', () => {
  it('resolves when nothing is in flight', async () => {
    await expect(waitUntilDrained(fixture)).resolves.toEqual({ backlogAtStart: 0, drainedAfterMs: 0 });
  });

  it('waits for an outbox row the relay has not sent yet, and names its schema on timeout', async () => {
    await writeToOutbox('evt.drain.outbox');
    await expectStillInFlight(/did not drain within 300 ms; still in flight: outbox of drain_test: 1 unsent$/);
    const earlier = await drainsDoneReadingOutboxes();
    const drained = waitUntilDrained(fixture);
    // The relay starts once the drain has looked at the outboxes (a backend of its own, idle after reading them).
    await eventually(drainsDoneReadingOutboxes, (pids) => [...pids].some((pid) => !earlier.has(pid)));
    const relay = relayFor();
    // It reports what it waited for: the one row, and a wait that ended once the row was gone.
    const waited = await drained;
    expect(waited.backlogAtStart).toBe(1);
    expect(waited.drainedAfterMs).toBeGreaterThan(0);
    // Resolving meant the relay had sent the row: nothing is left for it.
    expect(await count(`select count(*) as n from ${SCHEMA}.outbox where published_at is null`)).toBe(0);
    await relay.stop();
  });

  it('waits for a message a durable consumer has not been given yet, and names the consumer', async () => {
    const consumer = await fixture.addIdleConsumer('drain__undelivered', 'evt.drain.undelivered');
    await publish('evt.drain.undelivered');
    await expectStillInFlight(/consumer EVENTS\/drain__undelivered: 1 pending, 0 awaiting ack/);
    let acked = false;
    const drained = waitUntilDrained(fixture).then(() => acked);
    const message = await consumer.next({ expires: 10_000 });
    await message?.ackAck();
    acked = true;
    expect(await drained).toBe(true);
  });

  it('counts a message given out and not acked, and one waiting for its redelivery after a nak', async () => {
    const consumer = await fixture.addIdleConsumer('drain__unacked', 'evt.drain.unacked');
    await publish('evt.drain.unacked');
    const first = await consumer.next({ expires: 10_000 });
    expect(first).not.toBeNull();
    await expectStillInFlight(/consumer EVENTS\/drain__unacked: 0 pending, 1 awaiting ack/);
    // A handler's transient failure: the message comes back later, so the work is not done.
    first?.nak(1000);
    await expectStillInFlight(/consumer EVENTS\/drain__unacked: 0 pending, 1 awaiting ack/);
    const again = await consumer.next({ expires: 10_000 });
    expect(again?.info.deliveryCount).toBe(2);
    await again?.ackAck();
    await waitUntilDrained(fixture);
  });

  it('ignores consumers that are not durable: SSE readers and tests’ own readers are not the market’s work', async () => {
    await publish('evt.drain.ephemeral');
    const reader = await fixture.manager.consumers.add(STREAMS.events.name, {
      filter_subject: 'evt.drain.ephemeral',
      ack_policy: AckPolicy.Explicit,
      inactive_threshold: nanos(60_000),
    });
    expect(reader.num_pending).toBe(1);
    await waitUntilDrained(fixture);
    await fixture.manager.consumers.delete(STREAMS.events.name, reader.name);
  });

  it('follows a chain of events through the relay and a consumer, whose every effect writes the next event, to its end', async () => {
    const HOPS = 5;
    const durable = 'drain__chain';
    await applyBusTopology(fixture.connection, {
      streams: [],
      consumers: [{ stream: STREAMS.events.name, durable, filterSubject: 'evt.drain.chain', ackWaitSeconds: 10, maxDeliver: 3, maxAckPending: 10 }],
      replicas: 1,
      logger: fixture.logger,
    });
    const relay = relayFor();
    const consumer = runConsumer({
      ...fixture,
      stream: STREAMS.events.name,
      durable,
      maxDeliver: 3,
      handle: (envelope) =>
        applyOnce(fixture.orm, SCHEMA, durable, envelope, async (em) => {
          const hop = Number(envelope.data.hop);
          await em.execute(`insert into ${SCHEMA}.effects (event_id, hop) values (?, ?)`, [envelope.id, hop]);
          // The next event commits with this effect, and the message is acked only after: the work is never out of sight.
          if (hop < HOPS) await appendToOutbox(em, SCHEMA, [event('evt.drain.chain', { hop: hop + 1 })]);
        }),
    });
    await writeToOutbox('evt.drain.chain', { hop: 1 });
    await waitUntilDrained(fixture);
    expect(await count(`select count(*) as n from ${SCHEMA}.effects`)).toBe(HOPS);
    await consumer.stop();
    await relay.stop();
  });
});
