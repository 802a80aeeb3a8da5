import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { AppError, STREAMS, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { applyBusTopology, applyOnce, applyOnceBatch, encodeJson, runConsumer } from '../src/index.ts';
import { SCHEMA, startBusFixture, testEnvelope, waitUntil } from './bus-fixture.ts';

let fixture: Awaited<ReturnType<typeof startBusFixture>>;
beforeAll(async () => {
  fixture = await startBusFixture();
});
afterAll(async () => fixture?.stop());

const effectsOf = async (eventId: string) =>
  Number((await fixture.orm.em.getConnection().execute(`select count(*) as n from ${SCHEMA}.effects where event_id = ?`, [eventId]))[0]?.n ?? 0);

async function consumerFor(durable: string, behaviour: (event: EventEnvelope, attempt: number) => void) {
  await applyBusTopology(fixture.connection, {
    streams: [],
    consumers: [{ stream: STREAMS.events.name, durable, filterSubject: 'evt.agent.updated', ackWaitSeconds: 5, maxDeliver: 3, maxAckPending: 100 }],
    replicas: 1,
    logger: fixture.logger,
  });
  return runConsumer({
    jetstream: fixture.jetstream,
    stream: STREAMS.events.name,
    durable,
    maxDeliver: 3,
    backoffMs: [100],
    logger: fixture.logger,
    metrics: fixture.metrics,
    handle: (event, { deliveryCount }) =>
      applyOnce(fixture.orm, SCHEMA, durable, event, async (em) => {
        await em.execute(`insert into ${SCHEMA}.effects (event_id, note) values (?, ?)`, [event.id, durable]);
        behaviour(event, deliveryCount);
      }),
  });
}

/**
 * Waits until the consumer has been given every message and settled each one (nothing pending, nothing awaiting
 * an ack or a redelivery): from then on no further delivery can add an effect. Only this durable is asked: the
 * consumers of earlier tests are stopped and keep their backlog.
 */
async function consumerIdle(durable: string): Promise<void> {
  const manager = await jetstreamManager(fixture.connection);
  await waitUntil(async () => {
    const info = await manager.consumers.info(STREAMS.events.name, durable);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

const publish = (event: EventEnvelope, msgID = uuidv7()) => fixture.jetstream.publish('evt.agent.updated', encodeJson(event), { msgID });

/** Declares a durable on EVENTS for the batch tests. */
async function declareBatchConsumer(durable: string, filterSubject: string, ackWaitSeconds: number): Promise<void> {
  await applyBusTopology(fixture.connection, {
    streams: [],
    consumers: [{ stream: STREAMS.events.name, durable, filterSubject, ackWaitSeconds, maxDeliver: 3, maxAckPending: 500 }],
    replicas: 1,
    logger: fixture.logger,
  });
}

/** The batch tests' effect: one row per event; a batch holding a `poison` event fails whole. */
const effectsWriter = (durable: string) => async (em: Parameters<Parameters<typeof applyOnce>[4]>[0], events: EventEnvelope[]) => {
  if (events.some((event) => event.data.note === 'poison')) throw new AppError('validation_failed', 'poison in batch');
  for (const event of events) await em.execute(`insert into ${SCHEMA}.effects (event_id, note) values (?, ?)`, [event.id, durable]);
};

describe('durable consumer', () => {
  it('applies the same event delivered twice exactly once', async () => {
    const consumer = await consumerFor('test__dedupe', () => {});
    const event = testEnvelope('twice');
    // Two publishes with different message ids: the bus delivers both, the inbox keeps one.
    await publish(event);
    await publish(event);
    await waitUntil(async () => (await effectsOf(event.id)) === 1);
    await consumerIdle('test__dedupe');
    expect(await effectsOf(event.id)).toBe(1);
    await consumer.stop();
  });

  it('rolls back a failed attempt, retries it, and applies it once', async () => {
    const consumer = await consumerFor('test__retry', (event, attempt) => {
      if (event.data.note === 'flaky' && attempt < 2) throw new Error('transient');
    });
    const event = testEnvelope('flaky');
    await publish(event);
    await waitUntil(async () => (await effectsOf(event.id)) === 1);
    await consumerIdle('test__retry');
    expect(await effectsOf(event.id)).toBe(1);
    await consumer.stop();
  });

  it('moves a permanently failing event to the dead letter stream and keeps going', async () => {
    const consumer = await consumerFor('test__poison', (event) => {
      if (event.data.note === 'poison') throw new AppError('validation_failed', 'cannot ever work');
    });
    const poison = testEnvelope('poison');
    const healthy = testEnvelope('healthy');
    await publish(poison);
    await publish(healthy);
    await waitUntil(async () => (await effectsOf(healthy.id)) === 1);
    const manager = await jetstreamManager(fixture.connection);
    await waitUntil(async () => (await manager.streams.info(STREAMS.deadLetter.name)).state.messages >= 1);
    const dead = await manager.streams.getMessage(STREAMS.deadLetter.name, { last_by_subj: 'dlq.test__poison' });
    expect(dead?.json<EventEnvelope>().id).toBe(poison.id);
    expect(dead?.header.get('x-failure')).toContain('cannot ever work');
    expect(await effectsOf(poison.id)).toBe(0);
    await consumer.stop();
  });

  it('applies a backlog in batches, each event once, and isolates a poison event of a failing batch', async () => {
    const durable = 'test__batch';
    await declareBatchConsumer(durable, 'evt.agent.updated', 5);
    const insertEffects = effectsWriter(durable);
    // A backlog published before the consumer runs, with a duplicate and a poison event in it.
    const events = Array.from({ length: 120 }, (_, i) => testEnvelope(i === 60 ? 'poison' : `batch ${i}`));
    for (const event of events) await publish(event);
    await publish(events[10] as EventEnvelope);
    const batchSizes: number[] = [];
    const consumer = runConsumer({
      jetstream: fixture.jetstream,
      stream: STREAMS.events.name,
      durable,
      maxDeliver: 3,
      backoffMs: [100],
      logger: fixture.logger,
      metrics: fixture.metrics,
      handle: (event) => applyOnce(fixture.orm, SCHEMA, durable, event, (em) => insertEffects(em, [event])),
      handleBatch: (batch) => {
        batchSizes.push(batch.length);
        return applyOnceBatch(fixture.orm, SCHEMA, durable, batch, insertEffects);
      },
    });
    const healthy = events.filter((event) => event.data.note !== 'poison');
    await waitUntil(async () => {
      const counts = await Promise.all(healthy.map((event) => effectsOf(event.id)));
      return counts.every((count) => count === 1);
    }, 20_000);
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(await effectsOf(events[10]?.id ?? '')).toBe(1);
    expect(await effectsOf(events[60]?.id ?? '')).toBe(0);
    const manager = await jetstreamManager(fixture.connection);
    const dead = await manager.streams.getMessage(STREAMS.deadLetter.name, { last_by_subj: `dlq.${durable}` });
    expect(dead?.json<EventEnvelope>().id).toBe(events[60]?.id);
    await consumer.stop();
  });
  it('gathers the events of a burst into one batch per interval, yet applies an event after a quiet spell at once', async () => {
    const durable = 'test__interval';
    // A subject of its own: the durable starts at the stream's beginning, and earlier tests' events would join its batches.
    const SUBJECT = 'evt.agent.batch_interval_test';
    const publishHere = (event: EventEnvelope) => fixture.jetstream.publish(SUBJECT, encodeJson(event), { msgID: uuidv7() });
    await declareBatchConsumer(durable, SUBJECT, 10);
    const insertEffects = effectsWriter(durable);
    const batchSizes: number[] = [];
    const consumer = runConsumer({
      jetstream: fixture.jetstream,
      stream: STREAMS.events.name,
      durable,
      maxDeliver: 3,
      minBatchIntervalMs: 3000,
      logger: fixture.logger,
      metrics: fixture.metrics,
      handle: (event) => {
        batchSizes.push(1);
        return applyOnce(fixture.orm, SCHEMA, durable, event, (em) => insertEffects(em, [event]));
      },
      handleBatch: (batch) => {
        batchSizes.push(batch.length);
        return applyOnceBatch(fixture.orm, SCHEMA, durable, batch, insertEffects);
      },
    });
    const first = testEnvelope('after a quiet spell');
    await publishHere(first);
    await waitUntil(async () => (await effectsOf(first.id)) === 1);
    // The burst arrives within the interval that the first batch opened: it is applied as one batch when the interval ends.
    const burst = Array.from({ length: 20 }, (_, i) => testEnvelope(`burst ${i}`));
    for (const event of burst) await publishHere(event);
    await waitUntil(async () => (await Promise.all(burst.map((event) => effectsOf(event.id)))).every((count) => count === 1), 20_000);
    expect(batchSizes).toEqual([1, 20]);
    // A stop does not wait out the interval: what was gathered is applied, then the consumer ends.
    const last = testEnvelope('gathered when stopped');
    await publishHere(last);
    const manager = await jetstreamManager(fixture.connection);
    await waitUntil(async () => (await manager.consumers.info(STREAMS.events.name, durable)).num_ack_pending === 1);
    const stopping = Date.now();
    await consumer.stop();
    expect(await effectsOf(last.id)).toBe(1);
    expect(Date.now() - stopping).toBeLessThan(2500);
  });
});
