import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ALL_EVENTS, CONSUMERS, SUBSCRIBABLE_EVENT_TYPES, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { insertDeliveries, type DeliveryDraft } from '../deliveries/deliveries.repository.ts';
import { findSubscribers } from '../endpoints/endpoints.repository.ts';
import { WEBHOOKS_SCHEMA } from '../schema.ts';
import { deliveriesFor, jobIdOf, type Subscriber } from './event-deliveries.ts';

/**
 * The active endpoints subscribed to any type of the batch (or to `*`) and,
 * when they follow one job, to a job of the batch, in one query for the
 * whole batch; deliveriesFor then keeps, per event, those of its type (and
 * job) whose owner may see it.
 */
async function subscribersOfBatch(em: EntityManager, envelopes: readonly EventEnvelope[]): Promise<Subscriber[]> {
  const types = [...new Set(envelopes.map((envelope) => envelope.type)), ALL_EVENTS];
  const jobIds = [...new Set(envelopes.map(jobIdOf).filter((jobId) => jobId !== undefined))];
  return findSubscribers(em, types, jobIds);
}

/**
 * The durable consumer of `evt.>` that queues webhook deliveries: for each
 * event, one row per endpoint that should get it (deliveriesFor). The
 * subscribers are looked up before any transaction, so the events nobody
 * subscribes to (most of them, on most markets) cost one read and no write;
 * the rest are inserted in the batch's transaction, where the inbox and the
 * (endpoint, event) unique key make a redelivered event a no-op. The
 * delivery loop sends them.
 */
export function fanOutConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<DeliveryDraft[]>({
    declaration: CONSUMERS.webhooks.fanOut,
    orm,
    schema: WEBHOOKS_SCHEMA,
    reads: SUBSCRIBABLE_EVENT_TYPES,
    // Filled in by select, once the batch's subscribers are known.
    prepare: () => [],
    select: async (events) => {
      const subscribers = await subscribersOfBatch(orm.em.fork(), events.map((event) => event.envelope));
      if (subscribers.length === 0) return [];
      return events
        .map((event) => ({ envelope: event.envelope, change: deliveriesFor(event.envelope, subscribers) }))
        .filter((event) => event.change.length > 0);
    },
    apply: async (em, events) => {
      // One insert per event, in stream order: each sees the rows of the events before it (an endpoint's queue order).
      for (const { change } of events) await insertDeliveries(em, change);
    },
  });
}
