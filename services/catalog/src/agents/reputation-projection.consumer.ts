import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, type EventPayload } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec, type PreparedEvent } from '@agentmarket/messaging';
import { CATALOG_SCHEMA } from '../schema.ts';
import { showScoresOnServices } from '../services/services.repository.ts';
import { storeScoresIfNewer } from './agents.repository.ts';

interface ScoreChange {
  agentId: string;
  score: string;
}

/**
 * The durable consumer of `evt.reputation.>` that keeps each agent's score,
 * and the `agent_reputation` of its services, current. Reputation owns the
 * figures: the catalog reads them from its event, with no identity hop.
 */
export function reputationProjectionConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<ScoreChange>({
    declaration: CONSUMERS.catalog.reputationProjection,
    orm,
    schema: CATALOG_SCHEMA,
    reads: ['reputation_updated'],
    prepare: (envelope) => {
      const data = envelope.data as EventPayload<'reputation_updated'>;
      return { agentId: data.agent_id.toLowerCase(), score: data.reputation_score };
    },
    apply: (em, events) => storeNewestScores(em, events),
  });
}

/**
 * One statement for the scores (the newest version of each agent in the batch,
 * stored only over an older one: events may arrive out of order) and one for
 * the services whose shown score changes.
 */
async function storeNewestScores(em: EntityManager, events: PreparedEvent<ScoreChange>[]): Promise<void> {
  const newest = new Map<string, { score: string; version: number }>();
  for (const { envelope, change } of events) {
    const known = newest.get(change.agentId);
    if (!known || known.version < envelope.aggregate_version) newest.set(change.agentId, { score: change.score, version: envelope.aggregate_version });
  }
  const rows = [...newest].sort(([a], [b]) => (a < b ? -1 : 1));
  const stored = await storeScoresIfNewer(em, rows.map(([agentId, { score, version }]) => ({ agentId, score, version })));
  if (stored.length === 0) return;
  await showScoresOnServices(em, stored);
}
