import { describe, expect, it } from 'vitest';
import { AppError, encodeCursor } from '@agentmarket/contracts';
import { seqBefore, transactionsCursor } from './transactions-cursor.ts';

describe('transactions cursor', () => {
  it('round-trips the sequence of the last entry', () => {
    expect(seqBefore(transactionsCursor('1234', 'credit:abc'))).toBe(1234);
    expect(seqBefore(undefined)).toBeUndefined();
  });

  it('refuses cursors this API never returns', () => {
    for (const cursor of ['garbage', encodeCursor({ value: 'x', id: 'y' }, 'transactions'), encodeCursor({ value: -3, id: 'y' }, 'transactions'), encodeCursor({ value: 1.5, id: 'y' }, 'transactions'), encodeCursor({ value: 3, id: 'y' }, 'jobs')]) {
      expect(() => seqBefore(cursor)).toThrow(AppError);
    }
  });
});
