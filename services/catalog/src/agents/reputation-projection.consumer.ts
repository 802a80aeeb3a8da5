import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, type EventPayload } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec, type PreparedEvent } from '@agentmarket/messaging';
import { storeScoresIfNewer } from './agents.repository.ts';

interface ScoreChange {
  agentId: string;
  score: string;
}

/**
 * The durable consumer of `evt.reputation.>` that keeps each agent's score,
 * and the `agent_reputation` of its services, current. Reputation owns the
 * figures: the catalog reads them from its event, with no identity hop. The
 * write is idempotent by itself (only a newer version is stored), so a batch
 * is one statement: no transaction, no inbox row.
 */
export function reputationProjectionConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<ScoreChange>({
    declaration: CONSUMERS.catalog.reputationProjection,
    reads: ['reputation_updated'],
    prepare: (envelope) => {
      const data = envelope.data as EventPayload<'reputation_updated'>;
      return { agentId: data.agent_id.toLowerCase(), score: data.reputation_score };
    },
    applyIdempotently: (events) => storeNewestScores(orm, events),
  });
}

/** The newest version of each agent in the batch, stored only over an older one (events may arrive out of order). */
async function storeNewestScores(orm: MikroORM, events: PreparedEvent<ScoreChange>[]): Promise<void> {
  const newest = new Map<string, { score: string; version: number }>();
  for (const { envelope, change } of events) {
    const known = newest.get(change.agentId);
    if (!known || known.version < envelope.aggregate_version) newest.set(change.agentId, { score: change.score, version: envelope.aggregate_version });
  }
  const rows = [...newest].sort(([a], [b]) => (a < b ? -1 : 1));
  await storeScoresIfNewer(orm.em.fork(), rows.map(([agentId, { score, version }]) => ({ agentId, score, version })));
}
