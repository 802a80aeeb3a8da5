import { afterAll, beforeAll, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { applyBusTopology, applyOnce, applyOnceBatch, encodeJson, runConsumer } from '../src/index.ts';
import { SCHEMA, startBusFixture, waitUntil } from './bus-fixture.ts';

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
  const good: EventEnvelope[] = Array.from({ length: 6 }, () => ({
    id: uuidv7(),
    type: 'agent_updated',
    occurred_at: new Date().toISOString(),
    aggregate_id: uuidv7(),
    aggregate_version: 1,
    actor: { type: 'system', id: null },
    data: {},
  }));
  // Published before the consumer starts, so they arrive together as one batch.
  for (const [index, event] of good.entries()) {
    await fixture.jetstream.publish('evt.agent.updated', encodeJson(event));
    if (index === 2) await fixture.jetstream.publish('evt.agent.updated', new TextEncoder().encode('{not json'));
  }
  let firstSingle = true;
  const consumer = runConsumer({
    jetstream: fixture.jetstream,
    stream: STREAMS.events.name,
    durable: DURABLE,
    maxDeliver: 3,
    backoffMs: [100],
    logger: fixture.logger,
    metrics: fixture.metrics,
    // The first event is applied alone and slowly, so the rest (poison included) queue up into one batch.
    handle: async (event) => {
      await new Promise((resolve) => setTimeout(resolve, firstSingle ? 300 : 0));
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
  const manager = await jetstreamManager(fixture.connection);
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
