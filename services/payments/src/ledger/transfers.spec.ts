import { describe, expect, it } from 'vitest';
import { netChanges, type TransferDraft } from './transfers.ts';

const draft = (id: string, debitAccountId: number, creditAccountId: number, amount: number): TransferDraft => ({
  id,
  debitAccountId,
  creditAccountId,
  currency: 'USD',
  amount,
  kind: 'release',
  holdId: null,
});

describe('netChanges', () => {
  it('sums each account’s debits and credits, in ascending account id', () => {
    const changes = netChanges([draft('release', 7, 9, 975), draft('fee', 7, 2, 25), draft('refund', 7, 12, 0)]);
    expect(changes).toEqual([
      [2, 25],
      [7, -1000],
      [9, 975],
      [12, 0],
    ]);
  });

  it('keeps the order by id whatever order the transfers come in', () => {
    const ids = netChanges([draft('a', 30, 4, 1), draft('b', 11, 30, 1), draft('c', 4, 2, 1)]).map(([id]) => id);
    expect(ids).toEqual([2, 4, 11, 30]);
  });
});
