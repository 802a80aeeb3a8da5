import type { EntityManager } from '@mikro-orm/postgresql';

export type TimerKind = 'accept_deadline' | 'auto_complete' | 'delivery_deadline';

/**
 * Removes every pending timer of a job. A transition calls it before it
 * updates the job row, so transitions and the timer loop lock the timer row
 * first and the job row second: the same order, never a deadlock.
 */
export async function clearTimers(em: EntityManager, jobId: string): Promise<void> {
  await em.execute('delete from jobs.timers where job_id = ?', [jobId], 'run');
}

export async function scheduleTimer(em: EntityManager, jobId: string, kind: TimerKind, dueAt: Date): Promise<void> {
  await em.execute(
    'insert into jobs.timers (job_id, kind, due_at) values (?, ?, ?) on conflict (job_id, kind) do update set due_at = excluded.due_at',
    [jobId, kind, dueAt],
    'run',
  );
}

/** Locks one due timer that no other replica holds, or returns undefined. */
export async function claimDueTimer(em: EntityManager): Promise<{ job_id: string; kind: TimerKind } | undefined> {
  const rows = await em.execute<{ job_id: string; kind: TimerKind }[]>(
    'select job_id, kind from jobs.timers where due_at <= now() order by due_at limit 1 for update skip locked',
    [],
    'all',
  );
  return rows[0];
}
