import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, STREAMS } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { applyBusTopology, encodeJson, runConsumer, startOutboxRelay } from '../src/index.ts';
import { SCHEMA, startBusFixture, testEnvelope, waitUntil } from './bus-fixture.ts';

// The sampled gauges (consumer lag, dead letters, outbox backlog) are read the way Prometheus reads them:
// through the registry, which refreshes them at each scrape from the real NATS and Postgres.

let fixture: Awaited<ReturnType<typeof startBusFixture>>;
beforeAll(async () => {
  fixture = await startBusFixture();
});
afterAll(async () => fixture?.stop());

/** The value of one series at a scrape now, or undefined when the series does not exist. */
async function scrape(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metrics = await fixture.metrics.registry.getMetricsAsJSON();
  const metric = metrics.find((candidate) => candidate.name === name);
  const series = metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted));
  return series?.value;
}

describe('bus metrics', () => {
  it('consumer lag and unsettled messages per durable rise while the consumer is held, and fall to 0 when it catches up', async () => {
    const durable = 'metrics_test__lag';
    // One unsettled message at a time: while the handler is held, everything else stays undelivered (num_pending).
    await applyBusTopology(fixture.connection, {
      streams: [],
      consumers: [{ stream: STREAMS.events.name, durable, filterSubject: 'evt.agent.updated', ackWaitSeconds: 30, maxDeliver: 3, maxAckPending: 1 }],
      replicas: 1,
      logger: fixture.logger,
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const consumer = runConsumer({
      jetstream: fixture.jetstream,
      stream: STREAMS.events.name,
      durable,
      maxDeliver: 3,
      logger: fixture.logger,
      metrics: fixture.metrics,
      handle: async () => {
        await held;
        return 'applied';
      },
    });
    const labels = { consumer: durable, stream: STREAMS.events.name };
    for (let i = 0; i < 5; i += 1) await fixture.jetstream.publish('evt.agent.updated', encodeJson(testEnvelope(`lag-${i}`)));

    await expect.poll(() => scrape('agentmarket_consumer_pending_messages', labels), { timeout: 10_000 }).toBe(4);
    expect(await scrape('agentmarket_consumer_ack_pending_messages', labels)).toBe(1);

    release();
    await expect.poll(() => scrape('agentmarket_consumer_pending_messages', labels), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => scrape('agentmarket_consumer_ack_pending_messages', labels), { timeout: 10_000 }).toBe(0);
    await consumer.stop();
  });

  it('counts dead letters per durable: moved by this process, and stored in DEAD_LETTER', async () => {
    const durable = 'metrics_test__dlq';
    await applyBusTopology(fixture.connection, {
      streams: [],
      consumers: [{ stream: STREAMS.events.name, durable, filterSubject: 'evt.agent.updated', ackWaitSeconds: 5, maxDeliver: 3, maxAckPending: 100 }],
      replicas: 1,
      logger: fixture.logger,
    });
    const consumer = runConsumer({
      jetstream: fixture.jetstream,
      stream: STREAMS.events.name,
      durable,
      maxDeliver: 3,
      logger: fixture.logger,
      metrics: fixture.metrics,
      // Messages of the earlier test are settled here too (same subject); only "poison" fails, for good.
      handle: async (event) => {
        if (event.data.note === 'poison') throw new AppError('validation_failed', 'cannot ever work');
        return 'applied';
      },
    });
    const labels = { consumer: durable };
    await expect.poll(() => scrape('agentmarket_dead_letter_messages', labels), { timeout: 10_000 }).toBe(0);

    await fixture.jetstream.publish('evt.agent.updated', encodeJson(testEnvelope('poison')));
    await fixture.jetstream.publish('evt.agent.updated', encodeJson(testEnvelope('poison')));

    await expect.poll(() => scrape('agentmarket_dead_letters_total', labels), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => scrape('agentmarket_dead_letter_messages', labels), { timeout: 10_000 }).toBe(2);
    await consumer.stop();
  });

  it('outbox backlog and the age of its oldest row rise while NATS is down, and fall to 0 once the relay catches up', async () => {
    const relay = startOutboxRelay({ ...fixture, schema: SCHEMA, pollIntervalMs: 200, publishTimeoutMs: 500 });
    await relay.flush();
    const labels = { schema: SCHEMA };
    await expect.poll(() => scrape('agentmarket_outbox_backlog', labels), { timeout: 10_000 }).toBe(0);
    expect(await scrape('agentmarket_outbox_oldest_unsent_seconds', labels)).toBe(0);

    fixture.nats.kill();
    for (let i = 0; i < 3; i += 1) {
      await fixture.orm.em.fork().transactional((em) =>
        appendToOutbox(em, SCHEMA, [
          { type: 'agent_registered', aggregateId: `backlog-${i}`, aggregateVersion: 1, actor: { type: 'system', id: null }, data: { agent: { id: `backlog-${i}` } } },
        ]),
      );
    }
    await expect.poll(() => scrape('agentmarket_outbox_backlog', labels), { timeout: 10_000 }).toBe(3);
    await expect.poll(async () => (await scrape('agentmarket_outbox_oldest_unsent_seconds', labels)) ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);

    await fixture.nats.restart();
    await waitUntil(async () => (await scrape('agentmarket_outbox_backlog', labels)) === 0, 20_000);
    expect(await scrape('agentmarket_outbox_oldest_unsent_seconds', labels)).toBe(0);
    await relay.stop();
  });
});
