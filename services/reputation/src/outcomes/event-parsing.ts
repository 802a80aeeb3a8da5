import { z } from 'zod';
import { AppError, type EventEnvelope } from '@agentmarket/contracts';
import { issuesToDetails } from '@agentmarket/messaging';

/**
 * The data of an event, checked against `schema`. An event that does not
 * match can never be applied, so it fails permanently (dead letter) instead
 * of being retried.
 */
export function parseEventData<S extends z.ZodType>(envelope: EventEnvelope, schema: S): z.output<S> {
  const parsed = schema.safeParse(envelope.data);
  if (!parsed.success) throw new AppError('validation_failed', `Malformed ${envelope.type} event`, issuesToDetails(parsed.error.issues));
  return parsed.data;
}

/** The time an event happened, checked like its data. */
export function occurredAt(envelope: EventEnvelope): Date {
  const time = new Date(envelope.occurred_at);
  if (Number.isNaN(time.getTime())) throw new AppError('validation_failed', `Malformed ${envelope.type} event`, { occurred_at: 'not a time' });
  return time;
}

/** A UUID in the lower-case form Postgres returns, so ids from events and from rows compare equal. */
export const idSchema = z.string().uuid().transform((id) => id.toLowerCase());
