import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, SYSTEM_ACTOR, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import { parseJobEventData } from '../job-events/job-event-data.ts';
import { isJobTransitionType } from '../job-events/job-event-types.ts';
import { MESSAGING_SCHEMA, writeMessage } from '../messages/message-writer.ts';
import { notificationContent } from './notification-content.ts';
import { notificationRecipients } from './notification-recipients.ts';

const declaration = CONSUMERS.messaging.jobNotifications;

/** Writes the automatic inbox message(s) of one job transition, once per event. */
export async function onJobEvent(orm: MikroORM, envelope: EventEnvelope): Promise<HandleOutcome> {
  const type = envelope.type;
  // Another job event (none today) carries no news for the parties: acknowledged, nothing written.
  if (!isJobTransitionType(type)) return 'applied';
  const data = parseJobEventData(envelope);
  const content = notificationContent(type, data);
  const fromAgentId = envelope.actor.type === 'agent' ? envelope.actor.id : null;
  return applyOnce(orm, MESSAGING_SCHEMA, declaration.durable, envelope, async (em) => {
    for (const toAgentId of notificationRecipients(type, envelope.actor, data)) {
      await writeMessage(
        em,
        { fromAgentId, toAgentId, jobId: data.job_id, messageType: type, content, sourceEventId: envelope.id },
        SYSTEM_ACTOR,
      );
    }
  });
}

/** The durable consumer of `evt.job.>` that fills inboxes. */
export function jobNotificationsConsumer(orm: MikroORM): ConsumerSpec {
  return { declaration, handle: (envelope) => onJobEvent(orm, envelope) };
}
