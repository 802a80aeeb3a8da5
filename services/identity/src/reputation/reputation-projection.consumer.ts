import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, type EventPayload, type Reputation } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec, type PreparedEvent } from '@agentmarket/messaging';

type Figures = EventPayload<'reputation_updated'>;

const amountIn = (list: Reputation['earned'], currency: 'USD' | 'SAT') => list.find((entry) => entry.currency === currency)?.amount ?? 0;
const rate = (value: number | null) => (value === null ? null : String(value));

/**
 * The durable consumer of `evt.reputation.>` that copies each agent's
 * figures onto its profile, newest version only. Nothing is re-announced:
 * reputation_updated is the fact, and the gateway's caches and the catalog
 * read it themselves. A batch is one statement, the newest figures of each agent.
 */
export function reputationProjectionConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<Figures>({
    declaration: CONSUMERS.identity.reputationProjection,
    orm,
    schema: 'identity',
    reads: ['reputation_updated'],
    prepare: (envelope) => envelope.data as Figures,
    apply: (em, events) => storeNewestFigures(em, events),
  });
}

async function storeNewestFigures(em: EntityManager, events: PreparedEvent<Figures>[]): Promise<void> {
  const newest = new Map<string, { figures: Figures; version: number }>();
  for (const { envelope, change } of events) {
    const agentId = change.agent_id.toLowerCase();
    const known = newest.get(agentId);
    if (!known || known.version < envelope.aggregate_version) newest.set(agentId, { figures: change, version: envelope.aggregate_version });
  }
  const rows = [...newest].sort(([a], [b]) => (a < b ? -1 : 1));
  // Only the projected columns: the profile's own version is identity's (its agent events), untouched here.
  await em.execute(
    `update identity.agents a set reputation_version = v.version, reputation_score = v.score, jobs_completed = v.completed,
       jobs_failed = v.failed, jobs_hired = v.hired, success_rate = v.success_rate, on_time_rate = v.on_time_rate,
       total_earned_cents = v.earned_cents, total_earned_sats = v.earned_sats, total_spent_cents = v.spent_cents,
       total_spent_sats = v.spent_sats, client_rating = v.client_rating, client_jobs_rated = v.client_jobs_rated, updated_at = now()
     from (values ${rows.map(() => '(?::uuid, ?::int, ?::numeric, ?::int, ?::int, ?::int, ?::numeric, ?::numeric, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::numeric, ?::int)').join(', ')})
       as v (agent_id, version, score, completed, failed, hired, success_rate, on_time_rate, earned_cents, earned_sats, spent_cents, spent_sats, client_rating, client_jobs_rated)
     where a.id = v.agent_id and a.reputation_version < v.version`,
    rows.flatMap(([agentId, { figures, version }]) => [
      agentId,
      version,
      figures.reputation_score,
      figures.jobs_completed,
      figures.jobs_failed,
      figures.jobs_hired,
      rate(figures.success_rate),
      rate(figures.on_time_rate),
      amountIn(figures.earned, 'USD'),
      amountIn(figures.earned, 'SAT'),
      amountIn(figures.spent, 'USD'),
      amountIn(figures.spent, 'SAT'),
      // Absent from figures announced before clients were rated.
      figures.client_rating ?? null,
      figures.client_jobs_rated ?? 0,
    ]),
    'run',
  );
}
