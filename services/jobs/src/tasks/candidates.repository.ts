import type { EntityManager } from '@mikro-orm/postgresql';
import { STARTED_JOB_STATUSES } from '@agentmarket/contracts';
import { JOBS_SCHEMA } from '../schema.ts';
import { SIMILAR_COMPLEXITY } from './candidate-scoring.ts';

/**
 * Each service's load: the jobs its worker has started and not finished.
 * Pending hires do not count: anyone can hire a service full and never be
 * started (they expire by the accept window), and that must not keep tasks away.
 */
export async function activeJobsByService(em: EntityManager, serviceIds: string[]): Promise<Map<string, number>> {
  const rows = await em.execute<{ service_id: string; active: number }[]>(
    `select service_id, count(*)::int as active from ${JOBS_SCHEMA}.jobs
     where service_id in (?) and funding_status <> 'unfunded' and status in (?) group by service_id`,
    [serviceIds, [...STARTED_JOB_STATUSES]],
    'all',
  );
  return new Map(rows.map((row) => [row.service_id, row.active]));
}

/** Each agent's finished tasks of similar complexity, and how many of them it completed. */
export async function recordsByAgent(em: EntityManager, agentIds: string[], complexity: number): Promise<Map<string, { completed: number; finished: number }>> {
  const rows = await em.execute<{ agent_id: string; completed: number; finished: number }[]>(
    `select a.agent_id,
            count(*) filter (where j.status = 'completed')::int as completed,
            count(*) filter (where j.status in ('completed', 'failed', 'expired', 'cancelled', 'resolved'))::int as finished
     from ${JOBS_SCHEMA}.task_attempts a join ${JOBS_SCHEMA}.jobs j on j.id = a.job_id
     where a.agent_id in (?) and a.complexity between ? and ?
     group by a.agent_id`,
    [agentIds, complexity - SIMILAR_COMPLEXITY, complexity + SIMILAR_COMPLEXITY],
    'all',
  );
  return new Map(rows.map((row) => [row.agent_id, { completed: row.completed, finished: row.finished }]));
}
