import { EVENT_TYPES, type EventType } from './events.ts';

/** The events that are an admin's act whatever their data says: only admins suspend and unsuspend. */
const ALWAYS_ADMIN_ACTS: ReadonlySet<string> = new Set<EventType>([
  'agent_suspended',
  'agent_unsuspended',
  'service_suspended',
  'service_unsuspended',
]);

/**
 * A dispute ends by an admin's decision, or on the dispute ladder without
 * one (the worker accepted a refund, the client a proposal, the response
 * window passed): those name their `resolution`, and are nobody's admin act.
 */
const resolvedByAdmin = (data: Record<string, unknown>) => data.resolution === undefined || data.resolution === 'admin';

/**
 * Where an admin's act is copied for the audit trail, `audit.<aggregate>.<verb>`
 * on the AUDIT stream, or undefined for every other event. A credit is an
 * admin's act when it names who credited (`credited_by`); starter grants do not.
 * The producer writes the copy in the same transaction as the event, so the
 * audit consumer reads only admin acts instead of every event of EVENTS.
 */
export function auditSubjectOf(type: string, data: Record<string, unknown>): string | undefined {
  const adminAct =
    ALWAYS_ADMIN_ACTS.has(type) ||
    (type === 'job_resolved' && resolvedByAdmin(data)) ||
    (type === 'wallet_credited' && typeof data.credited_by === 'string' && data.credited_by !== '');
  if (!adminAct) return undefined;
  const definition = EVENT_TYPES[type as EventType];
  return `audit.${definition.aggregate}.${type.slice(definition.aggregate.length + 1)}`;
}

/** The audit subjects an event type may be copied to, for the bus permissions of its producer. */
export function auditSubjectsOfType(type: EventType): string[] {
  const subject = auditSubjectOf(type, { credited_by: 'admin' });
  return subject ? [subject] : [];
}
