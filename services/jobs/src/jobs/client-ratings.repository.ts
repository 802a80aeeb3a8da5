import type { EntityManager } from '@mikro-orm/postgresql';
import { JOBS_SCHEMA } from '../schema.ts';

/** Stores the worker's rating of the job's client; false when the job's client was already rated (one row per job). */
export async function insertClientRatingOnce(
  em: EntityManager,
  rating: { jobId: string; workerAgentId: string; rating: number; review: string | null; at: Date },
): Promise<boolean> {
  const inserted = await em.execute<{ job_id: string }[]>(
    `insert into ${JOBS_SCHEMA}.client_ratings (job_id, worker_agent_id, rating, review, created_at) values (?, ?, ?, ?, ?::timestamptz)
           on conflict (job_id) do nothing returning job_id`,
    [rating.jobId, rating.workerAgentId, rating.rating, rating.review, rating.at.toISOString()],
    'all',
  );
  return inserted.length > 0;
}
