import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, SYSTEM_ACTOR, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { parseJobEventData } from '../job-events/job-event-data.ts';
import { JOB_TRANSITION_TYPES, isJobTransitionType } from '../job-events/job-event-types.ts';
import { writeMessages, type NewMessage } from '../messages/message-writer.ts';
import { notificationContent } from './notification-content.ts';
import { notificationRecipients } from './notification-recipients.ts';

/** The automatic message(s) one job event calls for; none for a job event that is not a transition. */
export function notificationsFor(envelope: EventEnvelope): NewMessage[] {
  const type = envelope.type;
  if (!isJobTransitionType(type)) return [];
  const data = parseJobEventData(envelope);
  const content = notificationContent(type, data);
  const fromAgentId = envelope.actor.type === 'agent' ? envelope.actor.id : null;
  return notificationRecipients(type, envelope.actor, data).map((toAgentId) => ({
    fromAgentId,
    toAgentId,
    jobId: data.job_id,
    messageType: type,
    content,
    sourceEventId: envelope.id,
  }));
}

/**
 * The durable consumer of `evt.job.>` that fills inboxes: one automatic
 * message per transition to the party that did not act, once per event (the
 * source event and recipient are unique among messages, so a redelivery
 * inserts nothing); a batch is one insert, with no transaction or inbox row.
 * Other job events carry no news for the parties.
 */
export function jobNotificationsConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<NewMessage[]>({
    declaration: CONSUMERS.messaging.jobNotifications,
    reads: JOB_TRANSITION_TYPES,
    prepare: (envelope) => {
      const drafts = notificationsFor(envelope);
      return drafts.length > 0 ? drafts : undefined;
    },
    // Automatic messages are not announced (writeMessages), so the insert is the whole effect.
    applyIdempotently: async (events) => {
      await writeMessages(orm.em.fork(), events.flatMap((event) => event.change), SYSTEM_ACTOR);
    },
  });
}
