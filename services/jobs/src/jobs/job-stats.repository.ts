import type { EntityManager } from '@mikro-orm/postgresql';
import { JOBS_SCHEMA } from '../schema.ts';

export interface StatusCountRow {
  status: string;
  jobs: number;
  rating_sum: number | null;
  ratings: number;
}

export interface EdgeRow {
  source: string;
  target: string;
  jobs: number;
  usd: string;
  sats: string;
}

/** Funded jobs per status, with each status's rating sum and count. */
export function jobCountsByStatus(em: EntityManager): Promise<StatusCountRow[]> {
  return em.execute<StatusCountRow[]>(
    `select status, count(*)::int as jobs, sum(rating)::int as rating_sum, count(rating)::int as ratings
     from ${JOBS_SCHEMA}.jobs where funding_status = 'funded' group by status`,
    [],
    'all',
  );
}

/** Client → worker pairs of funded jobs with their counts and volume per currency, heaviest first. */
export function clientWorkerEdges(em: EntityManager, maxEdges: number): Promise<EdgeRow[]> {
  return em.execute<EdgeRow[]>(
    `select coalesce(client_agent_id, client_user_id) as source, worker_agent_id as target, count(*)::int as jobs,
            coalesce(sum(amount) filter (where currency = 'USD'), 0) as usd,
            coalesce(sum(amount) filter (where currency = 'SAT'), 0) as sats
     from ${JOBS_SCHEMA}.jobs where funding_status = 'funded'
     group by 1, 2
     order by count(*) desc, 1, 2
     limit ?`,
    [maxEdges],
    'all',
  );
}
