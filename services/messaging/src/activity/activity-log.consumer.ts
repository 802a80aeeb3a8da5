import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, applyOnceBatch, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import { MESSAGING_SCHEMA } from '../messages/message-writer.ts';
import { activityDraftFor } from './activity-record.ts';
import { recordActivities } from './activity.service.ts';

const declaration = CONSUMERS.messaging.activityLog;

/** Adds one public event to the activity log, once; private and unknown events are acknowledged and skipped. */
export async function onAnyEvent(orm: MikroORM, envelope: EventEnvelope): Promise<HandleOutcome> {
  const draft = activityDraftFor(envelope);
  if (!draft) return 'applied';
  return applyOnce(orm, MESSAGING_SCHEMA, declaration.durable, envelope, (em) => recordActivities(em, [draft]));
}

/** The durable consumer of `evt.>` that writes the activity log; under load, a batch of events is one insert. */
export function activityLogConsumer(orm: MikroORM): ConsumerSpec {
  return {
    declaration,
    handle: (envelope) => onAnyEvent(orm, envelope),
    handleBatch: async (envelopes) => {
      // Private events leave no row and need no inbox entry: only public ones enter the transaction.
      const drafts = new Map(envelopes.flatMap((envelope) => {
        const draft = activityDraftFor(envelope);
        return draft ? [[envelope.id, draft] as const] : [];
      }));
      if (drafts.size === 0) return;
      const publicEvents = envelopes.filter((envelope) => drafts.has(envelope.id));
      await applyOnceBatch(orm, MESSAGING_SCHEMA, declaration.durable, publicEvents, (em, fresh) =>
        recordActivities(em, fresh.flatMap((envelope) => drafts.get(envelope.id) ?? [])),
      );
    },
  };
}
