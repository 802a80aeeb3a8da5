import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { JOBS_SCHEMA } from '../schema.ts';
import type { TipRow } from './tip-rows.ts';

/** The tip a client sent to this job with this Idempotency-Key, if any. */
export async function findTipByKey(em: EntityManager, jobId: string, key: string): Promise<TipRow | undefined> {
  const [row] = await em.execute<TipRow[]>(`select * from ${JOBS_SCHEMA}.tips where job_id = ? and idempotency_key = ?`, [jobId, key], 'all');
  return row;
}

/**
 * Writes a tip as `pending` before any money moves, so that a retry with the
 * same key continues this tip (same id, hence the same ledger transfers).
 * Returns the row that holds the key: this one, or a concurrent twin's.
 */
export async function insertPendingTip(
  em: EntityManager,
  tip: { id: string; jobId: string; currency: Currency; amount: number; key: string | null; at: Date },
): Promise<TipRow> {
  const [inserted] = await em.execute<TipRow[]>(
    `insert into ${JOBS_SCHEMA}.tips (id, job_id, currency, amount, idempotency_key, status, created_at) values (?, ?, ?, ?, ?, 'pending', ?::timestamptz)
     on conflict (job_id, idempotency_key) where idempotency_key is not null do nothing returning *`,
    [tip.id, tip.jobId, tip.currency, tip.amount, tip.key, tip.at.toISOString()],
    'all',
  );
  if (inserted) return inserted;
  const twin = tip.key ? await findTipByKey(em, tip.jobId, tip.key) : undefined;
  if (!twin) throw new Error(`Tip ${tip.id} was neither inserted nor found`);
  return twin;
}

/** Marks a pending tip recorded with its fee; false when a twin recorded it first. */
export async function markTipRecorded(em: EntityManager, tipId: string, feeAmount: number): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update ${JOBS_SCHEMA}.tips set status = 'recorded', fee_amount = ? where id = ? and status = 'pending' returning id`,
    [feeAmount, tipId],
    'all',
  );
  return rows.length > 0;
}

/** Forgets a pending tip whose money was refused (nothing moved), so the key may be used again. */
export async function dropPendingTip(em: EntityManager, tipId: string): Promise<void> {
  await em.execute(`delete from ${JOBS_SCHEMA}.tips where id = ? and status = 'pending'`, [tipId], 'run');
}
