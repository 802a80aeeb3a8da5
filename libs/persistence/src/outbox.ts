import type { EntityManager } from '@mikro-orm/postgresql';
import { subjectForEvent, uuidv7, type Actor, type EventEnvelope, type EventType } from '@agentmarket/contracts';
import { quoteIdent } from './outbox-schema.ts';

export interface NewEvent {
  type: EventType;
  aggregateId: string;
  aggregateVersion: number;
  actor: Actor;
  data: Record<string, unknown>;
  /** Where to publish instead of the type's EVENTS subject, e.g. a WORK subject (`work.llm.<jobId>`). */
  subject?: string;
}

/**
 * Writes domain events into this schema's outbox inside the caller's
 * transaction: they become visible to the relay only if the change commits.
 */
export async function appendToOutbox(em: EntityManager, schema: string, events: NewEvent[]): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  const envelopes: EventEnvelope[] = events.map((event) => ({
    id: uuidv7(),
    type: event.type,
    occurred_at: new Date().toISOString(),
    aggregate_id: event.aggregateId,
    aggregate_version: event.aggregateVersion,
    actor: event.actor,
    data: event.data,
  }));
  const placeholders = envelopes.map(() => '(?, ?, ?)').join(', ');
  const params = envelopes.flatMap((envelope, index) => [
    envelope.id,
    events[index]?.subject ?? subjectForEvent(envelope.type as EventType),
    JSON.stringify(envelope),
  ]);
  await em.execute(`insert into ${quoteIdent(schema)}.outbox (id, subject, envelope) values ${placeholders}`, params, 'run');
  return envelopes;
}
