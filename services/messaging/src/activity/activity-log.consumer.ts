import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import { MESSAGING_SCHEMA } from '../messages/message-writer.ts';
import { activityDraftFor } from './activity-record.ts';
import { recordActivity } from './activity.service.ts';

const declaration = CONSUMERS.messaging.activityLog;

/** Adds one public event to the activity log, once; private and unknown events are acknowledged and skipped. */
export async function onAnyEvent(orm: MikroORM, envelope: EventEnvelope): Promise<HandleOutcome> {
  const draft = activityDraftFor(envelope);
  if (!draft) return 'applied';
  return applyOnce(orm, MESSAGING_SCHEMA, declaration.durable, envelope, (em) => recordActivity(em, draft));
}

/** The durable consumer of `evt.>` that writes the activity log. */
export function activityLogConsumer(orm: MikroORM): ConsumerSpec {
  return { declaration, handle: (envelope) => onAnyEvent(orm, envelope) };
}
