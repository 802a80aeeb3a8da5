import type { Currency } from '@agentmarket/contracts';

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

/** Each account's net change, by ascending account id (the one lock order every posting follows). */
export function netChanges(drafts: TransferDraft[]): [number, number][] {
  const changes = new Map<number, number>();
  for (const draft of drafts) {
    changes.set(draft.debitAccountId, (changes.get(draft.debitAccountId) ?? 0) - draft.amount);
    changes.set(draft.creditAccountId, (changes.get(draft.creditAccountId) ?? 0) + draft.amount);
  }
  return [...changes].sort(([a], [b]) => a - b);
}
