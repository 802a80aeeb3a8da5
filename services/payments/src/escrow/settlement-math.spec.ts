import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { microUsdToCents, modelCostParts, platformFee, settlementAmounts, workerShare, type SettlementOutcome } from './settlement-math.ts';

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

  it('takes at least the minimum fee on a paid job: max(price × bps, minimum)', () => {
    // 1.00 at 2.5 % is 2 cents; the 5-cent minimum wins. 10.00 at 2.5 % is 25 cents, above the minimum.
    expect(settlementAmounts(100, { kind: 'release' }, 250, 5)).toEqual({ workerAmount: 95, clientAmount: 0, feeAmount: 5 });
    expect(settlementAmounts(1000, { kind: 'release' }, 250, 5)).toEqual({ workerAmount: 975, clientAmount: 0, feeAmount: 25 });
    expect(platformFee(200, 0, 5)).toBe(5);
  });

  it('caps the minimum fee at the worker’s part: a job priced below it pays it all as fee', () => {
    expect(settlementAmounts(3, { kind: 'release' }, 250, 5)).toEqual({ workerAmount: 0, clientAmount: 0, feeAmount: 3 });
    // A split's worker part of 2 cents is all fee; the client's refund is untouched.
    expect(settlementAmounts(20, { kind: 'split', workerSharePct: 10 }, 250, 5)).toEqual({ workerAmount: 0, clientAmount: 18, feeAmount: 2 });
  });

  it('takes no minimum fee from a refund, nor from a split that pays the worker nothing', () => {
    expect(settlementAmounts(1000, { kind: 'refund' }, 250, 5)).toEqual({ workerAmount: 0, clientAmount: 1000, feeAmount: 0 });
    expect(settlementAmounts(1000, { kind: 'split', workerSharePct: 0 }, 250, 5)).toEqual({ workerAmount: 0, clientAmount: 1000, feeAmount: 0 });
  });

  it('still accounts for the whole hold with a minimum fee', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (amount, pct, bps, minFee) => {
        const parts = settlementAmounts(amount, { kind: 'split', workerSharePct: pct }, bps, minFee);
        expect(parts.workerAmount + parts.clientAmount + parts.feeAmount).toBe(amount);
        expect(parts.workerAmount).toBeGreaterThanOrEqual(0);
        const workerPart = parts.workerAmount + parts.feeAmount;
        if (workerPart > 0) expect(parts.feeAmount).toBe(Math.min(workerPart, Math.max(Math.floor((workerPart * bps) / 10_000), minFee)));
      }),
    );
  });
});

describe('model costs of hosted jobs', () => {
  it('come out of the worker’s payout first', () => {
    expect(modelCostParts(30, 945, 0)).toEqual({ fromPayout: 30, fromWallet: 0, unpaid: 0 });
  });

  it('are paid from the seller’s wallet when there is no payout (a refund), up to its balance, the rest unpaid', () => {
    expect(modelCostParts(30, 0, 100)).toEqual({ fromPayout: 0, fromWallet: 30, unpaid: 0 });
    expect(modelCostParts(30, 10, 12)).toEqual({ fromPayout: 10, fromWallet: 12, unpaid: 8 });
    expect(modelCostParts(30, 0, 0)).toEqual({ fromPayout: 0, fromWallet: 0, unpaid: 30 });
  });

  it('round micro-USD up to whole cents', () => {
    expect(microUsdToCents(0)).toBe(0);
    expect(microUsdToCents(1)).toBe(1);
    expect(microUsdToCents(10_000)).toBe(1);
    expect(microUsdToCents(10_001)).toBe(2);
    expect(microUsdToCents(1_234_567)).toBe(124);
  });
});
