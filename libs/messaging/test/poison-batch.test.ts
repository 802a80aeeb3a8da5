import { afterAll, beforeAll, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';
import { applyBusTopology, applyOnce, applyOnceBatch, encodeJson, runConsumer } from '../src/index.ts';
import { SCHEMA, startBusFixture, testEnvelope, waitUntil } from './bus-fixture.ts';

let fixture: Awaited<ReturnType<typeof startBusFixture>>;
beforeAll(async () => {
  fixture = await startBusFixture();
});
afterAll(async () => fixture?.stop());

const DURABLE = 'poison_batch_test';

it('dead-letters bytes that are not JSON inside a batch, settles them at once, and applies every good event around them', async () => {
  await applyBusTopology(fixture.connection, {
    streams: [],
    consumers: [{ stream: STREAMS.events.name, durable: DURABLE, filterSubject: 'evt.agent.updated', ackWaitSeconds: 5, maxDeliver: 3, maxAckPending: 100 }],
    replicas: 1,
    logger: fixture.logger,
  });
  const good = Array.from({ length: 6 }, (_, index) => testEnvelope(`good ${index}`));
  // Published before the consumer starts, so they arrive together as one batch.
  let lastSeq = 0;
  for (const [index, event] of good.entries()) {
    lastSeq = (await fixture.jetstream.publish('evt.agent.updated', encodeJson(event))).seq;
    if (index === 2) await fixture.jetstream.publish('evt.agent.updated', new TextEncoder().encode('{not json'));
  }
  const manager = await jetstreamManager(fixture.connection);
  let firstSingle = true;
  const consumer = runConsumer({
    jetstream: fixture.jetstream,
    stream: STREAMS.events.name,
    durable: DURABLE,
    maxDeliver: 3,
    backoffMs: [100],
    logger: fixture.logger,
    metrics: fixture.metrics,
    // The first event is applied alone and holds on until all seven are delivered to the runner, so the
    // rest (poison included) are queued behind it and settled as one batch.
    handle: async (event) => {
      if (firstSingle) await waitUntil(async () => (await manager.consumers.info(STREAMS.events.name, DURABLE)).delivered.stream_seq >= lastSeq);
      firstSingle = false;
      return applyOnce(fixture.orm, SCHEMA, DURABLE, event, async (em) => {
        await em.execute(`insert into ${SCHEMA}.effects (event_id, note) values (?, ?)`, [event.id, DURABLE]);
      });
    },
    handleBatch: (events) =>
      applyOnceBatch(fixture.orm, SCHEMA, DURABLE, events, async (em, fresh) => {
        for (const event of fresh) await em.execute(`insert into ${SCHEMA}.effects (event_id, note) values (?, ?)`, [event.id, DURABLE]);
      }),
  });
  await waitUntil(async () => {
    const info = await manager.consumers.info(STREAMS.events.name, DURABLE);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
  await consumer.stop();
  const [row] = await fixture.orm.em.getConnection().execute(`select count(*)::int as n from ${SCHEMA}.effects where note = ?`, [DURABLE]);
  expect(row?.n).toBe(6);
  const deadLetters = await manager.streams.info(STREAMS.deadLetter.name, { subjects_filter: `dlq.${DURABLE}` }).catch(() => undefined);
  expect(deadLetters?.state.messages).toBe(1);
});
