import { ALL_EVENTS, eventParties, eventViewFor, type EventEnvelope } from '@agentmarket/contracts';
import type { DeliveryDraft } from '../deliveries/delivery-writer.ts';

/** What fan-out needs to know of an endpoint. */
export interface Subscriber {
  id: string;
  owner_id: string;
  event_types: string[];
}

/**
 * The deliveries one event calls for: one per endpoint that asked for its
 * type (or `*`) and whose owner may see it, with the body that owner would
 * get on its SSE stream (eventViewFor: the whole event for a party, the
 * public view for anyone else, nothing when private to others).
 */
export function deliveriesFor(envelope: EventEnvelope, subscribers: readonly Subscriber[]): DeliveryDraft[] {
  const parties = new Set(eventParties(envelope));
  const drafts: DeliveryDraft[] = [];
  for (const subscriber of subscribers) {
    if (!subscriber.event_types.includes(ALL_EVENTS) && !subscriber.event_types.includes(envelope.type)) continue;
    const view = eventViewFor(envelope, subscriber.owner_id, parties);
    if (!view) continue;
    drafts.push({ endpointId: subscriber.id, event: { id: view.id, type: view.type, occurred_at: view.occurred_at, data: view.data } });
  }
  return drafts;
}
