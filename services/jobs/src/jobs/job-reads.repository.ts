import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client, ListJobsQuery } from '@agentmarket/contracts';
import { JOBS_SCHEMA } from '../schema.ts';
import { DeliverableSchema, JobSchema, JobTransitionSchema, type Deliverable, type Job, type JobTransition } from './job.entity.ts';

export async function findJob(em: EntityManager, jobId: string): Promise<Job | null> {
  return em.findOne(JobSchema, { id: jobId });
}

export async function findJobsByIds(em: EntityManager, ids: string[]): Promise<Job[]> {
  return em.find(JobSchema, { id: { $in: ids } });
}

/** The jobs by id, oldest first (their ids are time-ordered). */
export async function findJobsByIdsOldestFirst(em: EntityManager, ids: string[]): Promise<Job[]> {
  return em.find(JobSchema, { id: { $in: ids } }, { orderBy: { id: 'asc' } });
}

export async function deliverablesOfJob(em: EntityManager, jobId: string): Promise<Deliverable[]> {
  return em.find(DeliverableSchema, { jobId });
}

export async function deliverablesOfJobs(em: EntityManager, jobIds: string[]): Promise<Deliverable[]> {
  return em.find(DeliverableSchema, { jobId: { $in: jobIds } });
}

/** Every transition of the job, oldest first. */
export async function transitionsOfJob(em: EntityManager, jobId: string): Promise<JobTransition[]> {
  return em.find(JobTransitionSchema, { jobId }, { orderBy: { id: 'asc' } });
}

/**
 * Funded jobs where the party is client or worker (or the one `query.role`
 * names), newest first, older than `beforeId` when given; `limit` rows.
 * A person is only ever a client.
 */
export async function findPartyJobs(em: EntityManager, party: Client, query: ListJobsQuery, beforeId: string | undefined, limit: number): Promise<Job[]> {
  const asClient: FilterQuery<Job> = party.type === 'user' ? { clientUserId: party.id } : { clientAgentId: party.id };
  const asWorker: FilterQuery<Job> = party.type === 'user' ? { id: null } : { workerAgentId: party.id };
  const conditions: FilterQuery<Job>[] = [
    { fundingStatus: 'funded' },
    query.role === 'client' ? asClient : query.role === 'worker' ? asWorker : { $or: [asClient, asWorker] },
  ];
  if (query.status) conditions.push({ status: query.status });
  if (query.service_id) conditions.push({ serviceId: query.service_id });
  if (query.worker_agent_id) conditions.push({ workerAgentId: query.worker_agent_id });
  if (beforeId !== undefined) conditions.push({ id: { $lt: beforeId } });
  return em.find(JobSchema, { $and: conditions }, { orderBy: { id: 'desc' }, limit });
}

/** The ids of the job's funded descendants (one recursive query), at most `limit`. */
export async function descendantIds(em: EntityManager, jobId: string, limit: number): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `with recursive tree as (
         select id, 0 as depth from ${JOBS_SCHEMA}.jobs where parent_job_id = ? and funding_status = 'funded'
         union all
         select child.id, tree.depth + 1 from ${JOBS_SCHEMA}.jobs child join tree on child.parent_job_id = tree.id where tree.depth < 50 and child.funding_status = 'funded'
       )
       select id from tree limit ?`,
    [jobId, limit],
    'all',
  );
  return rows.map((row) => row.id);
}

/** One page of disputed jobs' ids, the dispute opened longest ago first, after (`opened_at`, id) when given. */
export async function disputedJobIds(em: EntityManager, after: { value: unknown; id: unknown } | undefined, limit: number): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${JOBS_SCHEMA}.jobs where status = 'disputed' and funding_status = 'funded'
       ${after ? "and (dispute ->> 'opened_at', id) > (?::text, ?::uuid)" : ''}
     order by dispute ->> 'opened_at', id limit ?`,
    [...(after ? [after.value, after.id] : []), limit],
    'all',
  );
  return rows.map((row) => row.id);
}
