import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from '@agentmarket/persistence';
import { JOBS_SCHEMA } from '../schema.ts';
import { JobSchema, type Job } from './job.entity.ts';
import { deliverableFromJson, jobFromRow, type JobRow, type LoadedJob } from './job-rows.ts';

/**
 * The columns JobRow reads, named rather than `j.*`: the statement is prepared once per connection
 * (executePrepared), and a prepared statement whose result changes shape (a column added by a migration
 * while this replica runs) would fail until the replica restarts.
 */
const JOB_COLUMNS = ['id', 'service_id', 'service_name', 'client_agent_id', 'client_user_id', 'worker_agent_id', 'parent_job_id', 'root_job_id', 'title',
  'input_data', 'currency', 'amount', 'status', 'machine_snapshot', 'rating', 'review', 'revision_count', 'max_revisions', 'accept_window_seconds',
  'auto_complete_seconds', 'estimated_minutes', 'delivery_window_seconds', 'funding_status', 'idempotency_key', 'hosted', 'accept_deadline',
  'auto_complete_at', 'delivery_deadline', 'pending_extension', 'subtask_budget', 'fund_from_parent', 'evaluator_agent_id', 'evaluator_fee',
  'evaluator_hold_id', 'dispute', 'created_at', 'updated_at', 'started_at', 'delivered_at', 'completed_at', 'version']
  .map((column) => `j.${column}`)
  .join(', ');

const LOAD_JOB = `select ${JOB_COLUMNS},
    case when j.delivered_at is null then '[]'::json else coalesce(
      (select json_agg(json_build_object('id', d.id, 'version', d.version, 'artifact_type', d.artifact_type, 'content', d.content,
                                         'artifact_metadata', d.artifact_metadata, 'created_at', d.created_at) order by d.version)
         from ${JOBS_SCHEMA}.deliverables d where d.job_id = j.id),
      '[]'::json) end as deliverables
  from ${JOBS_SCHEMA}.jobs j where j.id = ?`;

/** The job and its deliverables in one round trip, or undefined. */
export async function loadJob(em: EntityManager, jobId: string): Promise<LoadedJob | undefined> {
  const [row] = await executePrepared<JobRow>(em, LOAD_JOB, [jobId]);
  if (!row) return undefined;
  return { job: jobFromRow(row), deliverables: row.deliverables.map((deliverable) => deliverableFromJson(row.id, deliverable)) };
}

/**
 * Step 1's row, inserted only if the service has room, in one round trip and
 * no transaction around it (`jobs.hire_within_capacity`: the service's hires
 * serialised by an advisory lock, its jobs in `counted` compared with
 * `maxConcurrent`). Returns the count that refused the job, or undefined once
 * it is inserted. A second hire with the same Idempotency-Key fails on the
 * unique index, as a plain insert would.
 */
export async function insertJobWithinCapacity(em: EntityManager, job: Job, maxConcurrent: number, counted: readonly string[]): Promise<number | undefined> {
  const [row] = await executePrepared<{ refused_at: number | null }>(
    em,
    `select ${JOBS_SCHEMA}.hire_within_capacity(?::uuid, ?::integer, string_to_array(?, ','), ?::jsonb) as refused_at`,
    [job.serviceId, maxConcurrent, counted.join(','), JSON.stringify(hireRow(job))],
  );
  return row?.refused_at ?? undefined;
}

/** The columns a hire writes, as the function reads them (jsonb_populate_record over a jobs row). */
function hireRow(job: Job): Record<string, unknown> {
  return {
    id: job.id,
    service_id: job.serviceId,
    service_name: job.serviceName,
    client_agent_id: job.clientAgentId,
    client_user_id: job.clientUserId,
    worker_agent_id: job.workerAgentId,
    parent_job_id: job.parentJobId,
    root_job_id: job.rootJobId,
    title: job.title,
    input_data: job.inputData,
    currency: job.currency,
    amount: job.amount,
    status: job.status,
    machine_snapshot: job.machineSnapshot,
    revision_count: job.revisionCount,
    max_revisions: job.maxRevisions,
    accept_window_seconds: job.acceptWindowSeconds,
    auto_complete_seconds: job.autoCompleteSeconds,
    delivery_window_seconds: job.deliveryWindowSeconds,
    estimated_minutes: job.estimatedMinutes,
    funding_status: job.fundingStatus,
    idempotency_key: job.idempotencyKey,
    hosted: job.hosted,
    subtask_budget: job.subtaskBudget,
    fund_from_parent: job.fundFromParent,
    evaluator_agent_id: job.evaluatorAgentId,
    evaluator_fee: job.evaluatorFee,
    evaluator_hold_id: job.evaluatorHoldId,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    version: job.version,
  };
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

