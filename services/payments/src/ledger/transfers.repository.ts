import { CheckConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';
import { netChanges, type TransferDraft } from './transfers.ts';

/**
 * Posts transfers inside the caller's transaction: the rows (a repeated id
 * is skipped) and, for the rows actually inserted, each account's net change,
 * applied in ascending account id so that concurrent postings cannot
 * deadlock. A balance that would go negative violates the accounts' CHECK:
 * `insufficient_funds`, and the caller's transaction rolls back whole.
 * Returns the drafts that were inserted.
 */
export async function postTransfers(em: EntityManager, drafts: TransferDraft[]): Promise<TransferDraft[]> {
  if (drafts.length === 0) return [];
  for (const draft of drafts) {
    if (!Number.isSafeInteger(draft.amount) || draft.amount <= 0) throw new Error(`Transfer ${draft.id}: amount must be a positive integer`);
  }
  const inserted = await em.execute<{ id: string }[]>(
    `insert into ${PAYMENTS_SCHEMA}.transfers (id, debit_account_id, credit_account_id, currency, amount, kind, hold_id)
     values ${drafts.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on conflict (id) do nothing returning id`,
    drafts.flatMap((draft) => [draft.id, draft.debitAccountId, draft.creditAccountId, draft.currency, draft.amount, draft.kind, draft.holdId]),
    'all',
  );
  const insertedIds = new Set(inserted.map((row) => row.id));
  const posted = drafts.filter((draft) => insertedIds.has(draft.id));
  const changes = netChanges(posted);
  for (const [accountId, change] of changes) {
    if (change === 0) continue;
    try {
      await em.execute(`update ${PAYMENTS_SCHEMA}.accounts set balance = balance + ? where id = ?`, [change, accountId], 'run');
    } catch (error) {
      if (error instanceof CheckConstraintViolationException && isBalanceCheck(error)) {
        const draft = posted.find((candidate) => candidate.debitAccountId === accountId);
        throw new AppError('insufficient_funds', 'The balance cannot cover this amount', {
          currency: draft?.currency,
          amount: draft?.amount,
        });
      }
      throw error;
    }
  }
  return posted;
}

/** The transfer stored under this id: where it went, how much, of what kind. */
export async function findTransfer(em: EntityManager, transferId: string): Promise<{ credit_account_id: string; amount: string; kind: string } | undefined> {
  const [existing] = await em.execute<{ credit_account_id: string; amount: string; kind: string }[]>(
    `select credit_account_id, amount, kind from ${PAYMENTS_SCHEMA}.transfers where id = ?`,
    [transferId],
    'all',
  );
  return existing;
}

function isBalanceCheck(error: CheckConstraintViolationException): boolean {
  return (error as CheckConstraintViolationException & { constraint?: string }).constraint === 'accounts_balance_non_negative';
}
