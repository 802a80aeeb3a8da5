import { AppError, UUID_PATTERN, eventDefinition, eventParties, publicView, type EventEnvelope } from '@agentmarket/contracts';
import type { ActivityRecord } from './activity.entity.ts';
import { activitySummary } from './activity-summary.ts';

export type ActivityDraft = Omit<ActivityRecord, 'id'>;

const uuidOrNull = (value: unknown): string | null => (typeof value === 'string' && UUID_PATTERN.test(value) ? value : null);

/**
 * The activity row of an event, or undefined when the event is private or of
 * an unknown type (the log is public). Its data is the public view only:
 * never inputs, deliverable content or what the parties wrote to each other.
 */
export function activityDraftFor(envelope: EventEnvelope): ActivityDraft | undefined {
  const definition = eventDefinition(envelope.type);
  if (definition?.visibility !== 'public') return undefined;
  const visible = publicView(envelope);
  if (!visible) return undefined;
  const occurredAt = new Date(envelope.occurred_at);
  if (Number.isNaN(occurredAt.getTime())) {
    throw new AppError('validation_failed', `Malformed ${envelope.type} event`, { occurred_at: 'not a timestamp' });
  }
  const ownId = (aggregate: string) => (definition.aggregate === aggregate ? envelope.aggregate_id : undefined);
  return {
    eventId: envelope.id,
    type: envelope.type,
    actorType: envelope.actor.type,
    actorId: envelope.actor.id,
    agentIds: eventParties(envelope).filter((id) => UUID_PATTERN.test(id)),
    jobId: uuidOrNull(envelope.data.job_id ?? ownId('job')),
    serviceId: uuidOrNull(envelope.data.service_id ?? ownId('service')),
    summary: activitySummary(visible),
    data: visible.data,
    occurredAt,
  };
}
