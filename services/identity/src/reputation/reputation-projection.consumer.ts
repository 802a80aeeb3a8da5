import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec, type PreparedEvent } from '@agentmarket/messaging';
import { updateAgentFigures, type Figures } from './agent-figures.repository.ts';

/**
 * The durable consumer of `evt.reputation.>` that copies each agent's
 * figures onto its profile, newest version only. Nothing is re-announced:
 * reputation_updated is the fact, and the gateway's caches and the catalog
 * read it themselves. A batch is one statement, the newest figures of each
 * agent, written only over an older version: idempotent by itself, so no
 * transaction and no inbox row.
 */
export function reputationProjectionConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<Figures>({
    declaration: CONSUMERS.identity.reputationProjection,
    reads: ['reputation_updated'],
    prepare: (envelope) => envelope.data as Figures,
    applyIdempotently: (events) => storeNewestFigures(orm, events),
  });
}

async function storeNewestFigures(orm: MikroORM, events: PreparedEvent<Figures>[]): Promise<void> {
  const newest = new Map<string, { figures: Figures; version: number }>();
  for (const { envelope, change } of events) {
    const agentId = change.agent_id.toLowerCase();
    const known = newest.get(agentId);
    if (!known || known.version < envelope.aggregate_version) newest.set(agentId, { figures: change, version: envelope.aggregate_version });
  }
  const rows = [...newest].sort(([a], [b]) => (a < b ? -1 : 1));
  await updateAgentFigures(orm.em.fork(), rows.map(([agentId, { figures, version }]) => ({ agentId, figures, version })));
}
