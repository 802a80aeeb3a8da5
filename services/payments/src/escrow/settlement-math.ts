/** How a hold ends: all to the worker, all back to the payer, or shared by the worker's percentage. */
export type SettlementOutcome = { kind: 'release' } | { kind: 'refund' } | { kind: 'split'; workerSharePct: number };

/** Where the money of one hold goes, in minor units; the four parts add up to the hold's amount. */
export interface SettlementAmounts {
  /** Paid to the worker, the fee (and any model cost) already taken off. */
  workerAmount: number;
  /** Returned to the payer. */
  clientAmount: number;
  /** Kept by the platform: the greater of the worker part × bps / 10000 (rounded down) and the minimum fee, never more than the worker part. */
  feeAmount: number;
  /** A hosted job's model cost, paid out of the worker's part to the `model_costs` account (0 for other jobs). */
  modelCostAmount?: number;
}

/**
 * The platform's fee on a worker's part: floor(part × bps / 10000), at
 * least `minFee` (so that a job between two colluding agents is never free),
 * and at most the part itself (a job priced below the minimum fee pays it all
 * as fee). Nothing is taken from a part of 0.
 */
export function platformFee(workerPart: number, feeBps: number, minFee = 0): number {
  if (workerPart === 0) return 0;
  const proportional = Number((BigInt(workerPart) * BigInt(feeBps)) / 10_000n);
  return Math.min(workerPart, Math.max(proportional, minFee));
}

/** Splits a hold of `amount` minor units for an outcome. BigInt, so a 10^12-satoshi hold times 10^4 bps stays exact. */
export function settlementAmounts(amount: number, outcome: SettlementOutcome, feeBps: number, minFee = 0): SettlementAmounts {
  assertMinorUnits(amount, 'amount');
  assertMinorUnits(minFee, 'minFee');
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new RangeError(`feeBps must be an integer in 0..10000, got ${feeBps}`);
  const workerPart = outcome.kind === 'release' ? amount : outcome.kind === 'refund' ? 0 : workerShare(amount, outcome.workerSharePct);
  const feeAmount = platformFee(workerPart, feeBps, minFee);
  return { workerAmount: workerPart - feeAmount, clientAmount: amount - workerPart, feeAmount };
}

/** How a hosted job's model cost is paid: out of the worker's payout first, then from the seller's wallet up to its balance. */
export interface ModelCostParts {
  fromPayout: number;
  fromWallet: number;
  /** What neither could cover: the platform's loss (the ledger never goes negative). */
  unpaid: number;
}

/** Splits a model cost (minor units) over the worker's payout and the seller's available balance. */
export function modelCostParts(cost: number, workerAmount: number, sellerBalance: number): ModelCostParts {
  assertMinorUnits(cost, 'cost');
  assertMinorUnits(workerAmount, 'workerAmount');
  const fromPayout = Math.min(cost, workerAmount);
  const fromWallet = Math.min(cost - fromPayout, Math.max(0, sellerBalance));
  return { fromPayout, fromWallet, unpaid: cost - fromPayout - fromWallet };
}

/** Micro-USD (the executor's unit) to whole cents, rounded up: the platform never pays part of a cent for a seller. */
export function microUsdToCents(micro: number): number {
  assertMinorUnits(micro, 'micro');
  return Math.ceil(micro / 10_000);
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
