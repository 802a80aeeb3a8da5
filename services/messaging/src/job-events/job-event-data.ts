import { AppError, UUID_PATTERN, jobEventDataSchema, type EventEnvelope, type JobEventData } from '@agentmarket/contracts';
import { issuesToDetails } from '@agentmarket/messaging';

const ID_FIELDS = ['job_id', 'worker_agent_id'] as const;

/**
 * The data of a job event, checked. A job event without its common fields can
 * never be turned into messages, so it fails permanently (dead letter)
 * instead of being retried.
 */
export function parseJobEventData(envelope: EventEnvelope): JobEventData {
  const parsed = jobEventDataSchema.safeParse(envelope.data);
  if (!parsed.success) {
    throw new AppError('validation_failed', `Malformed ${envelope.type} event`, issuesToDetails(parsed.error.issues));
  }
  const badIds: string[] = ID_FIELDS.filter((field) => !UUID_PATTERN.test(parsed.data[field]));
  // The client is an agent or a person (buyer): exactly one of the two ids.
  const client = parsed.data.client_agent_id ?? parsed.data.client_user_id;
  if (!client || !UUID_PATTERN.test(client)) badIds.push('client_agent_id');
  if (badIds.length > 0) {
    throw new AppError('validation_failed', `Malformed ${envelope.type} event`, Object.fromEntries(badIds.map((field) => [field, 'not a UUID'])));
  }
  return parsed.data;
}
