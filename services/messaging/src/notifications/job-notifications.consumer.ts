import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, SYSTEM_ACTOR, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, applyOnceBatch, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import { parseJobEventData } from '../job-events/job-event-data.ts';
import { isJobTransitionType } from '../job-events/job-event-types.ts';
import { MESSAGING_SCHEMA, writeMessages, type NewMessage } from '../messages/message-writer.ts';
import { notificationContent } from './notification-content.ts';
import { notificationRecipients } from './notification-recipients.ts';

const declaration = CONSUMERS.messaging.jobNotifications;

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

/** Writes the automatic inbox message(s) of one job transition, once per event. */
export async function onJobEvent(orm: MikroORM, envelope: EventEnvelope): Promise<HandleOutcome> {
  const drafts = notificationsFor(envelope);
  // Another job event (none today) carries no news for the parties: acknowledged, nothing written.
  if (drafts.length === 0) return 'applied';
  return applyOnce(orm, MESSAGING_SCHEMA, declaration.durable, envelope, async (em) => {
    await writeMessages(em, drafts, SYSTEM_ACTOR);
  });
}

/** The durable consumer of `evt.job.>` that fills inboxes; under load, a batch of events is one transaction. */
export function jobNotificationsConsumer(orm: MikroORM): ConsumerSpec {
  return {
    declaration,
    handle: (envelope) => onJobEvent(orm, envelope),
    handleBatch: (envelopes) =>
      applyOnceBatch(orm, MESSAGING_SCHEMA, declaration.durable, envelopes, async (em, fresh) => {
        await writeMessages(em, fresh.flatMap(notificationsFor), SYSTEM_ACTOR);
      }),
  };
}
