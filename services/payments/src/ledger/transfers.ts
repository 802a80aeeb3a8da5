import { CheckConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type Currency } from '@agentmarket/contracts';

export type TransferKind = 'grant' | 'credit' | 'hold' | 'release' | 'fee' | 'refund' | 'model_cost' | 'seller_model_cost' | 'tip' | 'tip_fee' | 'budget' | 'budget_return';

/** One transfer to post: `amount` minor units leave `debitAccountId` for `creditAccountId`. */
export interface TransferDraft {
  id: string;
  debitAccountId: number;
  creditAccountId: number;
  currency: Currency;
  amount: number;
  kind: TransferKind;
  holdId: string | null;
}

/** Transfer ids of one hold: caller-chosen, so a repeated settlement cannot post twice. */
export const holdTransferId = (kind: 'hold' | 'release' | 'fee' | 'refund' | 'model_cost' | 'seller_model_cost', holdId: string) => `${kind}:${holdId}`;

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
    `insert into payments.transfers (id, debit_account_id, credit_account_id, currency, amount, kind, hold_id)
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
      await em.execute('update payments.accounts set balance = balance + ? where id = ?', [change, accountId], 'run');
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

/** Each account's net change, by ascending account id (the one lock order every posting follows). */
export function netChanges(drafts: TransferDraft[]): [number, number][] {
  const changes = new Map<number, number>();
  for (const draft of drafts) {
    changes.set(draft.debitAccountId, (changes.get(draft.debitAccountId) ?? 0) - draft.amount);
    changes.set(draft.creditAccountId, (changes.get(draft.creditAccountId) ?? 0) + draft.amount);
  }
  return [...changes].sort(([a], [b]) => a - b);
}

function isBalanceCheck(error: CheckConstraintViolationException): boolean {
  return (error as CheckConstraintViolationException & { constraint?: string }).constraint === 'accounts_balance_non_negative';
}
