import type { EntityManager } from '@mikro-orm/postgresql';
import { JOBS_SCHEMA } from '../schema.ts';

export type TimerKind = 'accept_deadline' | 'auto_complete' | 'delivery_deadline' | 'dispute_response';

/**
 * Locks the JOB of one due timer that no other replica holds, or returns
 * undefined. The job row first, its timer rows second: the order every job
 * change takes (job-changes.repository.ts), so the loop and transitions never deadlock.
 * The timer row itself is not locked here, so a transition that committed
 * while this waited may have replaced it: takeDueTimer checks.
 */
/** Whether any timer is due: one index probe, without a transaction, so an idle replica's poll costs one statement. */
export async function anyTimerDue(em: EntityManager): Promise<boolean> {
  const rows = await em.execute<{ due: boolean }[]>(`select exists (select 1 from ${JOBS_SCHEMA}.timers where due_at <= now()) as due`, [], 'all');
  return rows[0]?.due === true;
}

export async function claimDueTimer(em: EntityManager): Promise<{ job_id: string; kind: TimerKind } | undefined> {
  const rows = await em.execute<{ job_id: string; kind: TimerKind }[]>(
    `select t.job_id, t.kind from ${JOBS_SCHEMA}.timers t join ${JOBS_SCHEMA}.jobs j on j.id = t.job_id
     where t.due_at <= now() order by t.due_at limit 1 for update of j skip locked`,
    [],
    'all',
  );
  return rows[0];
}

/** Removes the claimed timer if it is (still) due; false when a transition removed it or set it later meanwhile: nothing to fire. */
export async function takeDueTimer(em: EntityManager, jobId: string, kind: TimerKind): Promise<boolean> {
  const rows = await em.execute<{ job_id: string }[]>(
    `delete from ${JOBS_SCHEMA}.timers where job_id = ? and kind = ? and due_at <= now() returning job_id`,
    [jobId, kind],
    'all',
  );
  return rows.length > 0;
}
