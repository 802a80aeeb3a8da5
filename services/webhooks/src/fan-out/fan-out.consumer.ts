import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ALL_EVENTS, CONSUMERS, SUBSCRIBABLE_EVENT_TYPES, UUID_PATTERN, eventDefinition, eventParties, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { insertDeliveries } from '../deliveries/delivery-writer.ts';
import { WEBHOOKS_SCHEMA } from '../webhooks-schema.ts';
import { deliveriesFor, type Subscriber } from './event-deliveries.ts';

/** The active endpoints that may receive `envelope`: subscribed to its type or `*`, and (unless it is public) owned by a party. */
async function subscribersOf(em: EntityManager, envelope: EventEnvelope): Promise<Subscriber[]> {
  const isPublic = eventDefinition(envelope.type)?.visibility === 'public';
  // Party ids that are not UUIDs (an admin key's name) own no endpoint.
  const parties = eventParties(envelope).filter((id) => UUID_PATTERN.test(id));
  if (!isPublic && parties.length === 0) return [];
  return em.execute<Subscriber[]>(
    `select id, owner_id, event_types from ${WEBHOOKS_SCHEMA}.endpoints
     where is_active and event_types && array[?]::text[]${isPublic ? '' : ' and owner_id = any(array[?]::uuid[])'}
     order by id`,
    [[envelope.type, ALL_EVENTS], ...(isPublic ? [] : [parties])],
    'all',
  );
}

/**
 * The durable consumer of `evt.>` that queues webhook deliveries: for each
 * event, one row per endpoint that should get it (deliveriesFor), in the
 * batch's transaction; the inbox and the (endpoint, event) unique key make a
 * redelivered event a no-op. The delivery loop sends them.
 */
export function fanOutConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer({
    declaration: CONSUMERS.webhooks.fanOut,
    orm,
    schema: WEBHOOKS_SCHEMA,
    reads: SUBSCRIBABLE_EVENT_TYPES,
    apply: async (em, events) => {
      for (const { envelope } of events) {
        const subscribers = await subscribersOf(em, envelope);
        if (subscribers.length > 0) await insertDeliveries(em, deliveriesFor(envelope, subscribers));
      }
    },
  });
}
