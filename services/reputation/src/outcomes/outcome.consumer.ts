import type { MikroORM } from '@mikro-orm/postgresql';
import type { ConsumerDeclaration, EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { REPUTATION_SCHEMA } from '../schema.ts';
import { applyStandingChanges, type ScoringSettings } from '../standing/standing-changes.service.ts';
import type { StandingChange } from './standing-change.ts';

/**
 * A durable consumer that turns events into standing changes and applies
 * them once per event id; a batch of events is one transaction with at most
 * one reputation_updated per agent changed (paced: announcements.ts). Events that change nothing are
 * acknowledged without a transaction.
 */
export function outcomeConsumer(
  orm: MikroORM,
  declaration: ConsumerDeclaration,
  reads: readonly string[],
  changesOf: (envelope: EventEnvelope) => StandingChange[],
  scoring: ScoringSettings,
  announceIntervalMs: number,
): ConsumerSpec {
  return eventConsumer<StandingChange[]>({
    declaration,
    orm,
    schema: REPUTATION_SCHEMA,
    reads,
    prepare: (envelope) => {
      const changes = changesOf(envelope);
      return changes.length > 0 ? changes : undefined;
    },
    apply: (em, events) => applyStandingChanges(em, events.flatMap((event) => event.change), scoring, announceIntervalMs),
  });
}
