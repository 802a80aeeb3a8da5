import type { EntityManager } from '@mikro-orm/postgresql';
import type { ListTasksQuery } from '@agentmarket/contracts';
import { JOBS_SCHEMA } from '../schema.ts';
import { TaskAttemptSchema, TaskSchema, type Task, type TaskAttempt } from './task.entity.ts';

export async function findTask(em: EntityManager, taskId: string): Promise<Task | null> {
  return em.findOne(TaskSchema, { id: taskId });
}

export async function findTaskOrFail(em: EntityManager, taskId: string): Promise<Task> {
  return em.findOneOrFail(TaskSchema, { id: taskId });
}

/** The task a client posted with this Idempotency-Key. */
export async function findTaskByClientKey(em: EntityManager, owner: { clientUserId: string } | { clientAgentId: string }, idempotencyKey: string): Promise<Task | undefined> {
  return (await em.findOne(TaskSchema, { ...owner, idempotencyKey })) ?? undefined;
}

/** The market's bidding tasks in one status, newest first, older than `beforeId` when given; `limit` rows. */
export async function findBiddingTasks(em: EntityManager, query: Pick<ListTasksQuery, 'status' | 'capability'>, beforeId: string | null, limit: number): Promise<Task[]> {
  return em.find(
    TaskSchema,
    {
      mode: 'bidding',
      status: query.status,
      ...(query.capability ? { capabilitiesRequired: { $contains: [query.capability] } } : {}),
      ...(beforeId ? { id: { $lt: beforeId } } : {}),
    },
    { orderBy: { id: 'desc' }, limit },
  );
}

/** Stores a new task through the unit of work (flushed now); the managed entity is returned. */
export async function insertTask(em: EntityManager, task: Task): Promise<Task> {
  const created = em.create(TaskSchema, task);
  await em.flush();
  return created;
}

export async function attemptsOfTask(em: EntityManager, taskId: string): Promise<TaskAttempt[]> {
  return em.find(TaskAttemptSchema, { taskId });
}

/** The task attempt that hired this job, if the job was a task's. */
export async function findAttemptByJob(em: EntityManager, jobId: string): Promise<TaskAttempt | null> {
  return em.findOne(TaskAttemptSchema, { jobId });
}

/** Records a hire of the task (its attempt number `attempt`); a repeat of the same attempt inserts nothing. */
export async function insertAttempt(
  em: EntityManager,
  attempt: { taskId: string; attempt: number; jobId: string; serviceId: string; agentId: string; complexity: number },
): Promise<void> {
  await em.execute(
    `insert into ${JOBS_SCHEMA}.task_attempts (task_id, attempt, job_id, service_id, agent_id, complexity, created_at)
           values (?, ?, ?, ?, ?, ?, now()) on conflict do nothing`,
    [attempt.taskId, attempt.attempt, attempt.jobId, attempt.serviceId, attempt.agentId, attempt.complexity],
    'run',
  );
}

/** Records the accepted bid's hire as the task's first (and only) attempt; a repeat inserts nothing. */
export async function insertBidAttempt(em: EntityManager, attempt: { taskId: string; jobId: string; serviceId: string; agentId: string; complexity: number }): Promise<void> {
  await em.execute(
    `insert into ${JOBS_SCHEMA}.task_attempts (task_id, attempt, job_id, service_id, agent_id, complexity, created_at) values (?, 1, ?, ?, ?, ?, now()) on conflict do nothing`,
    [attempt.taskId, attempt.jobId, attempt.serviceId, attempt.agentId, attempt.complexity],
    'run',
  );
}

export async function markTaskAssigned(em: EntityManager, taskId: string, jobId: string): Promise<void> {
  await em.execute(`update ${JOBS_SCHEMA}.tasks set status = 'assigned', current_job_id = ?, updated_at = now() where id = ?`, [jobId, taskId], 'run');
}

export async function markTaskUnassigned(em: EntityManager, taskId: string): Promise<void> {
  await em.execute(`update ${JOBS_SCHEMA}.tasks set status = 'unassigned', current_job_id = null, updated_at = now() where id = ?`, [taskId], 'run');
}

/** Notes on the task which bid is being hired (the caller holds the task's lock). */
export async function setAcceptingBid(em: EntityManager, taskId: string, bidId: string): Promise<void> {
  await em.execute(`update ${JOBS_SCHEMA}.tasks set accepting_bid_id = ?, updated_at = now() where id = ?`, [bidId, taskId], 'run');
}

/** Forgets the acceptance under way if it is still this bid's and the task still open. */
export async function clearAcceptingBid(em: EntityManager, taskId: string, bidId: string): Promise<void> {
  await em.execute(`update ${JOBS_SCHEMA}.tasks set accepting_bid_id = null, updated_at = now() where id = ? and accepting_bid_id = ? and status = 'open'`, [taskId, bidId], 'run');
}

/** The task row locked for the rest of the transaction: every bid step on one task runs one at a time. */
export async function lockTask(em: EntityManager, taskId: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(`select id from ${JOBS_SCHEMA}.tasks where id = ? for update`, [taskId], 'all');
  return rows.length > 0;
}

/** The next version of the task, whose events carry it (the caller holds the task's lock). */
export async function bumpTask(em: EntityManager, taskId: string, changes: { status?: string; currentJobId?: string; acceptingBidId?: string | null } = {}): Promise<number> {
  const [row] = await em.execute<{ version: number }[]>(
    `update ${JOBS_SCHEMA}.tasks set version = version + 1, updated_at = now(),
       bid_count = (select count(*) from ${JOBS_SCHEMA}.bids where task_id = ? and status = 'active'),
       status = coalesce(?, status), current_job_id = coalesce(?, current_job_id),
       accepting_bid_id = case when ? then ? else accepting_bid_id end
     where id = ? returning version`,
    [taskId, changes.status ?? null, changes.currentJobId ?? null, changes.acceptingBidId !== undefined, changes.acceptingBidId ?? null, taskId],
    'all',
  );
  if (!row) throw new Error(`Task ${taskId} vanished`);
  return row.version;
}

/** Open bidding tasks past their closing time, oldest due first. */
export async function dueTaskIds(em: EntityManager, limit: number): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select id from ${JOBS_SCHEMA}.tasks where status = 'open' and closes_at <= now() order by closes_at limit ?`,
    [limit],
    'all',
  );
  return rows.map((row) => row.id);
}
