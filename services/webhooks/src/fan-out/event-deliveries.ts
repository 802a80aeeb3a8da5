import { ALL_EVENTS, eventParties, eventViewFor, type EventEnvelope } from '@agentmarket/contracts';
import type { DeliveryDraft } from '../deliveries/deliveries.repository.ts';
import { a2aPushBodyOf } from './a2a-push-body.ts';

/** What fan-out needs to know of an endpoint. */
export interface Subscriber {
  id: string;
  owner_id: string;
  event_types: string[];
  /** Only this job's events (an A2A push config); null for every event of its types. */
  job_id: string | null;
  format: 'standard' | 'a2a';
  /** When the endpoint was created (timestamptz as text, or a Date): it gets the events that occurred from then on. */
  created_at: string | Date;
}

/** The job an event is about, as its payload names it (job events carry `job_id`). */
export function jobIdOf(envelope: EventEnvelope): string | undefined {
  const jobId = envelope.data.job_id;
  return typeof jobId === 'string' ? jobId : undefined;
}

/**
 * The deliveries one event calls for: one per endpoint that asked for its
 * type (or `*`), for its job if it follows one, and whose owner may see it,
 * with the body that owner would get on its SSE stream (eventViewFor: the
 * whole event for a party, the public view for anyone else, nothing when
 * private to others) — or, in the `a2a` format, the A2A push notification
 * for it (none for an event without an A2A form). An endpoint gets only
 * the events that occurred once it existed, however late fan-out reads
 * them.
 */
export function deliveriesFor(envelope: EventEnvelope, subscribers: readonly Subscriber[]): DeliveryDraft[] {
  const parties = new Set(eventParties(envelope));
  const jobId = jobIdOf(envelope);
  const occurredAt = Date.parse(envelope.occurred_at);
  const drafts: DeliveryDraft[] = [];
  for (const subscriber of subscribers) {
    if (occurredAt < new Date(subscriber.created_at).getTime()) continue;
    if (!subscriber.event_types.includes(ALL_EVENTS) && !subscriber.event_types.includes(envelope.type)) continue;
    if (subscriber.job_id !== null && subscriber.job_id !== jobId) continue;
    const view = eventViewFor(envelope, subscriber.owner_id, parties);
    if (!view) continue;
    const event = { id: view.id, type: view.type, occurred_at: view.occurred_at, data: view.data };
    if (subscriber.format === 'standard') {
      drafts.push({ endpointId: subscriber.id, event });
      continue;
    }
    const body = a2aPushBodyOf(event);
    if (body !== undefined) drafts.push({ endpointId: subscriber.id, event, body });
  }
  return drafts;
}
