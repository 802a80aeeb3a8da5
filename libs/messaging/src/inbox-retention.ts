import { STREAMS, type EventEnvelope } from '@agentmarket/contracts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long sent outbox rows and inbox rows are kept: a day longer than the
 * longest-lived stream keeps a message. A backup's restore keeps a stream
 * message written during the backup only if the restored outbox has its
 * event; a durable consumer created anew reads its stream from the
 * beginning, its inbox turning what it had already done into no-ops. Both
 * need the rows of the messages a stream may still hold.
 */
export const EVENT_RECORD_RETENTION_DAYS = Math.ceil(Math.max(...Object.values(STREAMS).map((stream) => stream.maxAgeSeconds * 1000)) / DAY_MS) + 1;

/**
 * Whether an event is older than its inbox row could still be. A stream
 * drops a message at its max age, so an older one reaches a consumer only
 * after a restore (which republishes a backup's messages, their age in the
 * stream starting again): it was processed before the backup, and its
 * inbox row may be pruned since. It counts as a duplicate.
 */
export function outlivedItsInboxRow(envelope: Pick<EventEnvelope, 'occurred_at'>, now = Date.now()): boolean {
  const occurredAt = Date.parse(envelope.occurred_at);
  return Number.isFinite(occurredAt) && occurredAt < now - EVENT_RECORD_RETENTION_DAYS * DAY_MS;
}
