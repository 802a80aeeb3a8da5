/** How a hold ends: all to the worker, all back to the payer, or shared by the worker's percentage. */
export type SettlementOutcome = { kind: 'release' } | { kind: 'refund' } | { kind: 'split'; workerSharePct: number };

/** Where the money of one hold goes, in minor units; the three parts add up to the hold's amount. */
export interface SettlementAmounts {
  /** Paid to the worker, the fee already taken off. */
  workerAmount: number;
  /** Returned to the payer. */
  clientAmount: number;
  /** Kept by the platform: floor(worker part × bps / 10000). */
  feeAmount: number;
}

/** The platform's fee on a worker's part, rounded down (the platform never takes a fraction of a cent more). */
export function platformFee(workerPart: number, feeBps: number): number {
  return Number((BigInt(workerPart) * BigInt(feeBps)) / 10_000n);
}

/** Splits a hold of `amount` minor units for an outcome. BigInt, so a 10^12-satoshi hold times 10^4 bps stays exact. */
export function settlementAmounts(amount: number, outcome: SettlementOutcome, feeBps: number): SettlementAmounts {
  assertMinorUnits(amount, 'amount');
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new RangeError(`feeBps must be an integer in 0..10000, got ${feeBps}`);
  const workerPart = outcome.kind === 'release' ? amount : outcome.kind === 'refund' ? 0 : workerShare(amount, outcome.workerSharePct);
  const feeAmount = platformFee(workerPart, feeBps);
  return { workerAmount: workerPart - feeAmount, clientAmount: amount - workerPart, feeAmount };
}

/** floor(amount × pct / 100): the worker's part of a split before the fee. */
export function workerShare(amount: number, workerSharePct: number): number {
  if (!Number.isInteger(workerSharePct) || workerSharePct < 0 || workerSharePct > 100) {
    throw new RangeError(`workerSharePct must be an integer in 0..100, got ${workerSharePct}`);
  }
  return Number((BigInt(amount) * BigInt(workerSharePct)) / 100n);
}

function assertMinorUnits(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${label} must be a non-negative integer of minor units, got ${value}`);
}
