import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventPayload, Reputation } from '@agentmarket/contracts';
import { IDENTITY_SCHEMA } from '../schema.ts';

export type Figures = EventPayload<'reputation_updated'>;

/** An agent's newest announced figures and the version reputation gave them. */
export interface VersionedFigures {
  agentId: string;
  figures: Figures;
  version: number;
}

const amountIn = (list: Reputation['earned'], currency: 'USD' | 'SAT') => list.find((entry) => entry.currency === currency)?.amount ?? 0;
const rate = (value: number | null) => (value === null ? null : String(value));

/**
 * Copies figures onto the agents' profiles in one statement, each only over
 * an older version. Only the projected columns: the profile's own version is
 * identity's (its agent events), untouched here.
 */
export async function updateAgentFigures(em: EntityManager, rows: VersionedFigures[]): Promise<void> {
  await em.execute(
    `update ${IDENTITY_SCHEMA}.agents a set reputation_version = v.version, reputation_score = v.score, jobs_completed = v.completed,
       jobs_failed = v.failed, jobs_hired = v.hired, success_rate = v.success_rate, on_time_rate = v.on_time_rate,
       total_earned_cents = v.earned_cents, total_earned_sats = v.earned_sats, total_spent_cents = v.spent_cents,
       total_spent_sats = v.spent_sats, client_rating = v.client_rating, client_jobs_rated = v.client_jobs_rated, updated_at = now()
     from (values ${rows.map(() => '(?::uuid, ?::int, ?::numeric, ?::int, ?::int, ?::int, ?::numeric, ?::numeric, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::numeric, ?::int)').join(', ')})
       as v (agent_id, version, score, completed, failed, hired, success_rate, on_time_rate, earned_cents, earned_sats, spent_cents, spent_sats, client_rating, client_jobs_rated)
     where a.id = v.agent_id and a.reputation_version < v.version`,
    rows.flatMap(({ agentId, figures, version }) => [
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
