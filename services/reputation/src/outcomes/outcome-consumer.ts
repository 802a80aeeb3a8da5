import type { MikroORM } from '@mikro-orm/postgresql';
import type { ConsumerDeclaration, EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, applyOnceBatch, type ConsumerSpec } from '@agentmarket/messaging';
import { REPUTATION_SCHEMA, applyStandingChanges, type ScoringSettings } from '../standing/standing-writer.ts';
import type { StandingChange } from './standing-change.ts';

/**
 * A durable consumer that turns events into standing changes and applies
 * them once per event id; under load a batch of events is one transaction
 * with one reputation_updated per agent changed. Events that change nothing
 * are acknowledged without a transaction.
 */
export function outcomeConsumer(
  orm: MikroORM,
  declaration: ConsumerDeclaration,
  changesOf: (envelope: EventEnvelope) => StandingChange[],
  scoring: ScoringSettings,
): ConsumerSpec {
  return {
    declaration,
    handle: async (envelope) => {
      const changes = changesOf(envelope);
      if (changes.length === 0) return 'applied';
      return applyOnce(orm, REPUTATION_SCHEMA, declaration.durable, envelope, (em) => applyStandingChanges(em, changes, scoring));
    },
    handleBatch: async (envelopes) => {
      // A malformed event throws here, before any transaction; the runner then settles the batch one by one.
      const changesById = new Map(envelopes.map((envelope) => [envelope.id, changesOf(envelope)]));
      const relevant = envelopes.filter((envelope) => (changesById.get(envelope.id)?.length ?? 0) > 0);
      if (relevant.length === 0) return;
      await applyOnceBatch(orm, REPUTATION_SCHEMA, declaration.durable, relevant, (em, fresh) =>
        applyStandingChanges(em, fresh.flatMap((envelope) => changesById.get(envelope.id) ?? []), scoring),
      );
    },
  };
}
