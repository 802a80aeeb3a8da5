import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSubjectOf, parseEventData, subjectForEvent, uuidv7, type Actor, type EventEnvelope, type EventType } from '@agentmarket/contracts';
import { quoteIdent } from './outbox-schema.ts';
import { executePrepared } from './prepared-statements.ts';
import { noteOutboxWrite } from './outbox-wake.ts';

export interface NewEvent {
  type: EventType;
  aggregateId: string;
  aggregateVersion: number;
  actor: Actor;
  data: Record<string, unknown>;
  /** Where to publish instead of the type's EVENTS subject, e.g. a WORK subject (`work.llm.<jobId>`). */
  subject?: string;
}

/** An outbox row ready to insert: the event id, where it goes, and its envelope as JSON text. */
export interface OutboxRow {
  id: string;
  subject: string;
  envelope: string;
}

/**
 * The envelopes of `events` and the outbox rows that carry them, without
 * writing anything: for a caller that inserts them as part of a larger
 * statement (a job transition writes its row, history and outbox at once).
 */
export function toOutboxRows(events: NewEvent[]): { envelopes: EventEnvelope[]; rows: OutboxRow[] } {
  if (events.length > 0) noteOutboxWrite();
  const occurredAt = new Date().toISOString();
  const envelopes: EventEnvelope[] = [];
  const rows: OutboxRow[] = [];
  for (const event of events) {
    // The payload is checked against the contract its readers parse with: a producer bug fails here, in its own
    // transaction, rather than dead-lettering in every consumer.
    parseEventData(event.type, event.data);
    const envelope: EventEnvelope = {
      id: uuidv7(),
      type: event.type,
      occurred_at: occurredAt,
      aggregate_id: event.aggregateId,
      aggregate_version: event.aggregateVersion,
      actor: event.actor,
      data: event.data,
    };
    envelopes.push(envelope);
    rows.push({ id: envelope.id, subject: event.subject ?? subjectForEvent(event.type), envelope: JSON.stringify(envelope) });
    // An admin's act is also copied to AUDIT (same envelope, own row id), so the audit trail need not read every event.
    const audit = auditSubjectOf(event.type, event.data);
    if (audit) rows.push({ id: uuidv7(), subject: audit, envelope: rows[rows.length - 1]!.envelope });
  }
  return { envelopes, rows };
}

/**
 * Writes domain events into this schema's outbox inside the caller's
 * transaction: they become visible to the relay only if the change commits.
 */
export async function appendToOutbox(em: EntityManager, schema: string, events: NewEvent[]): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  const { envelopes, rows } = toOutboxRows(events);
  // One text whatever the number of rows (arrays, not a values list): prepared once per connection.
  await executePrepared(em, `insert into ${quoteIdent(schema)}.outbox (id, subject, envelope) select * from unnest(?::uuid[], ?::text[], ?::jsonb[])`, [
    rows.map((row) => row.id),
    rows.map((row) => row.subject),
    rows.map((row) => row.envelope),
  ]);
  return envelopes;
}
