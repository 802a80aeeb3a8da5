import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { platformFee, settlementAmounts, workerShare, type SettlementOutcome } from './settlement-math.ts';

describe('settlementAmounts', () => {
  it('releases a 10.00 job as 9.75 to the worker and 0.25 to the platform at 250 bps', () => {
    expect(settlementAmounts(1000, { kind: 'release' }, 250)).toEqual({ workerAmount: 975, clientAmount: 0, feeAmount: 25 });
  });

  it('rounds the fee down', () => {
    expect(platformFee(999, 250)).toBe(24);
    expect(platformFee(39, 250)).toBe(0);
    expect(settlementAmounts(1, { kind: 'release' }, 250)).toEqual({ workerAmount: 1, clientAmount: 0, feeAmount: 0 });
  });

  it('refunds everything, with no fee', () => {
    expect(settlementAmounts(1234, { kind: 'refund' }, 250)).toEqual({ workerAmount: 0, clientAmount: 1234, feeAmount: 0 });
  });

  it('splits by the worker’s share, takes the fee from the worker’s part, and refunds the rest', () => {
    // 60 % of 10.01 = 6.006 → 600 cents; fee floor(600 × 2.5 %) = 15.
    expect(settlementAmounts(1001, { kind: 'split', workerSharePct: 60 }, 250)).toEqual({ workerAmount: 585, clientAmount: 401, feeAmount: 15 });
    expect(settlementAmounts(1000, { kind: 'split', workerSharePct: 0 }, 250)).toEqual({ workerAmount: 0, clientAmount: 1000, feeAmount: 0 });
    expect(settlementAmounts(1000, { kind: 'split', workerSharePct: 100 }, 250)).toEqual({ workerAmount: 975, clientAmount: 0, feeAmount: 25 });
  });

  it('takes no fee at 0 bps and everything at 10000 bps', () => {
    expect(settlementAmounts(500, { kind: 'release' }, 0)).toEqual({ workerAmount: 500, clientAmount: 0, feeAmount: 0 });
    expect(settlementAmounts(500, { kind: 'release' }, 10_000)).toEqual({ workerAmount: 0, clientAmount: 0, feeAmount: 500 });
  });

  it('stays exact for the largest satoshi amounts', () => {
    // 10^12 × 9999 overflows 2^53 as a float product; BigInt keeps it exact.
    expect(platformFee(1_000_000_000_001, 9999)).toBe(999_900_000_000);
    expect(workerShare(999_999_999_999, 33)).toBe(329_999_999_999);
  });

  it('refuses shares and fees out of range', () => {
    expect(() => workerShare(100, 101)).toThrow(RangeError);
    expect(() => workerShare(100, 12.5)).toThrow(RangeError);
    expect(() => settlementAmounts(100, { kind: 'release' }, 10_001)).toThrow(RangeError);
    expect(() => settlementAmounts(-1, { kind: 'refund' }, 250)).toThrow(RangeError);
  });

  it('always accounts for the whole hold, with no negative part', () => {
    const outcome: fc.Arbitrary<SettlementOutcome> = fc.oneof(
      fc.constant({ kind: 'release' as const }),
      fc.constant({ kind: 'refund' as const }),
      fc.integer({ min: 0, max: 100 }).map((workerSharePct) => ({ kind: 'split' as const, workerSharePct })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000_000 }), outcome, fc.integer({ min: 0, max: 10_000 }), (amount, how, bps) => {
        const parts = settlementAmounts(amount, how, bps);
        expect(parts.workerAmount + parts.clientAmount + parts.feeAmount).toBe(amount);
        expect(Math.min(parts.workerAmount, parts.clientAmount, parts.feeAmount)).toBeGreaterThanOrEqual(0);
        expect(parts.feeAmount).toBeLessThanOrEqual(parts.workerAmount + parts.feeAmount);
      }),
    );
  });
});
