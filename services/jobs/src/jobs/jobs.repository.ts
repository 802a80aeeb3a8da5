import type { EntityManager } from '@mikro-orm/postgresql';
import { JOBS_SCHEMA } from '../schema.ts';
import { JobSchema, type Job } from './job.entity.ts';
import { deliverableFromJson, jobFromRow, type JobRow, type LoadedJob } from './job-rows.ts';

const LOAD_JOB = `select j.*,
    case when j.delivered_at is null then '[]'::json else coalesce(
      (select json_agg(json_build_object('id', d.id, 'version', d.version, 'artifact_type', d.artifact_type, 'content', d.content,
                                         'artifact_metadata', d.artifact_metadata, 'created_at', d.created_at) order by d.version)
         from ${JOBS_SCHEMA}.deliverables d where d.job_id = j.id),
      '[]'::json) end as deliverables
  from ${JOBS_SCHEMA}.jobs j where j.id = ?`;

/** The job and its deliverables in one round trip, or undefined. */
export async function loadJob(em: EntityManager, jobId: string): Promise<LoadedJob | undefined> {
  const [row] = await em.execute<JobRow[]>(LOAD_JOB, [jobId], 'all');
  if (!row) return undefined;
  return { job: jobFromRow(row), deliverables: row.deliverables.map((deliverable) => deliverableFromJson(row.id, deliverable)) };
}

/** Step 1's row: one insert, no unit of work. */
export async function insertJob(em: EntityManager, job: Job): Promise<void> {
  await em.execute(
    `insert into ${JOBS_SCHEMA}.jobs (id, service_id, service_name, client_agent_id, client_user_id, worker_agent_id, parent_job_id, root_job_id, title, input_data,
       currency, amount, status, machine_snapshot, revision_count, max_revisions, accept_window_seconds, auto_complete_seconds,
       delivery_window_seconds, estimated_minutes, funding_status, idempotency_key, hosted, subtask_budget, fund_from_parent,
       evaluator_agent_id, evaluator_fee, evaluator_hold_id, created_at, updated_at, version)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, ?)`,
    [
      job.id,
      job.serviceId,
      job.serviceName,
      job.clientAgentId,
      job.clientUserId,
      job.workerAgentId,
      job.parentJobId,
      job.rootJobId,
      job.title,
      JSON.stringify(job.inputData),
      job.currency,
      job.amount,
      job.status,
      JSON.stringify(job.machineSnapshot),
      job.revisionCount,
      job.maxRevisions,
      job.acceptWindowSeconds,
      job.autoCompleteSeconds,
      job.deliveryWindowSeconds,
      job.estimatedMinutes,
      job.fundingStatus,
      job.idempotencyKey,
      job.hosted,
      job.subtaskBudget,
      job.fundFromParent,
      job.evaluatorAgentId,
      job.evaluatorFee,
      job.evaluatorHoldId,
      job.createdAt.toISOString(),
      job.updatedAt.toISOString(),
      job.version,
    ],
    'run',
  );
}

/** The hire saga gave up: the job becomes unfunded unless it moved on from pending_hold meanwhile. */
export async function markUnfunded(em: EntityManager, jobId: string): Promise<void> {
  await em.execute(`update ${JOBS_SCHEMA}.jobs set funding_status = 'unfunded', updated_at = now() where id = ? and funding_status = 'pending_hold'`, [jobId], 'run');
}

/** Hires whose saga has waited for its hold since before `before`, oldest first. */
export async function findPendingHoldsCreatedBefore(em: EntityManager, before: Date, limit: number): Promise<Job[]> {
  return em.find(JobSchema, { fundingStatus: 'pending_hold', createdAt: { $lt: before } }, { orderBy: { createdAt: 'asc' }, limit });
}

/** The job a client hired with this Idempotency-Key, whatever its funding. */
export async function findJobByClientKey(em: EntityManager, owner: { clientUserId: string } | { clientAgentId: string }, idempotencyKey: string): Promise<Job | undefined> {
  return (await em.findOne(JobSchema, { ...owner, idempotencyKey })) ?? undefined;
}

export async function findFundedJob(em: EntityManager, jobId: string): Promise<Job | null> {
  return em.findOne(JobSchema, { id: jobId, fundingStatus: 'funded' });
}

/** Serialises hires of one service until the transaction ends (transaction-scoped advisory lock). */
export async function lockServiceHires(em: EntityManager, serviceId: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [serviceId], 'all');
}

/** The service's jobs in `statuses` that are funded or still waiting for their hold. */
export async function countServiceJobs(em: EntityManager, serviceId: string, statuses: readonly string[]): Promise<number> {
  const [row] = await em.execute<{ active: number }[]>(
    `select count(*)::int as active from ${JOBS_SCHEMA}.jobs where service_id = ? and funding_status <> 'unfunded' and status in (?)`,
    [serviceId, [...statuses]],
    'all',
  );
  return row?.active ?? 0;
}
