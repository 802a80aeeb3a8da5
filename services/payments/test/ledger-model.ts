import type { Currency, EventEnvelope, JobStatus } from '@agentmarket/contracts';
import type { PersistedJobSnapshot } from '@agentmarket/job-machine';
import type { TestJob } from './job-events.ts';

// The model of the property test: what the ledger should hold, computed
// independently of the service (plain integer arithmetic, no shared code).

export const MODEL_FEE_BPS = 250;
/** The smallest platform fee per currency, on payouts and tips alike (a tip at or below it is refused). */
export const MODEL_MIN_FEE: Record<Currency, number> = { USD: 5, SAT: 0 };

export type HoldStatus = 'held' | 'released' | 'refunded' | 'split' | 'abandoned';

export interface ModelJob extends TestJob {
  snapshot: PersistedJobSnapshot;
  /** The dispute's ladder so far: answered by the worker, and the split it proposed (the client may accept it). */
  dispute: { answered: boolean; proposalPct?: number };
}

/** An id whose hire gave up: fenced before any hold, or refunded after one. */
export interface FencedHold {
  job: TestJob;
  status: 'abandoned' | 'refunded';
}

/** A job's subtask budget: its account is `budget:<job id>`; when it closes, what it holds (and any later refund into it) goes to its funder. */
export interface ModelBudget {
  currency: Currency;
  /** The owner key of the account that funded it: the payer's wallet, or the parent's budget. */
  funderKey: string;
  closed: boolean;
}

export interface ModelTip {
  tip_id: string;
  job: TestJob;
  amount: number;
}

export interface LedgerModel {
  agents: string[];
  /** Expected balance per `owner_key|currency`, system accounts included. */
  balances: Map<string, number>;
  jobs: ModelJob[];
  fenced: FencedHold[];
  /** Expected status of every hold id the run placed or fenced (job prices and evaluator fees). */
  holds: Map<string, HoldStatus>;
  /** Subtask budgets by job id. */
  budgets: Map<string, ModelBudget>;
  tips: ModelTip[];
  /** Every job event delivered so far, for redeliveries. */
  delivered: EventEnvelope[];
  credits: { transferId: string; agentId: string; currency: Currency; amount: number }[];
}

export const accountKey = (ownerKey: string, currency: Currency) => `${ownerKey}|${currency}`;
export const agentAccount = (agentId: string, currency: Currency) => accountKey(`agent:${agentId}`, currency);
export const budgetOwner = (jobId: string) => `budget:${jobId}`;

export function balanceOf(model: LedgerModel, key: string): number {
  return model.balances.get(key) ?? 0;
}

export function move(model: LedgerModel, from: string, to: string, amount: number): void {
  model.balances.set(from, balanceOf(model, from) - amount);
  model.balances.set(to, balanceOf(model, to) + amount);
}

/** The platform's fee on a payout or a tip: a share in basis points rounded down, at least the minimum, never more than the part; none on nothing. */
export function platformFee(part: number, currency: Currency): number {
  if (part === 0) return 0;
  return Math.min(part, Math.max(Math.floor((part * MODEL_FEE_BPS) / 10_000), MODEL_MIN_FEE[currency]));
}

/** What a hire takes from its payer at once: the price, the evaluator's fee and the subtask budget. */
export function hireTotal(job: TestJob): number {
  return job.amount + (job.evaluator?.amount ?? 0) + (job.budget ?? 0);
}

/** The owner key of the account that pays a job's holds: its parent's budget when funded by it, else the client's wallet. */
export function payerOwner(job: TestJob): string {
  return job.funded_by_job_id ? budgetOwner(job.funded_by_job_id) : `agent:${job.client_agent_id}`;
}

export const isBudgetOpen = (model: LedgerModel, jobId: string) => model.budgets.get(jobId)?.closed === false;

/** A hire whose holds were placed: the price and the fee into escrow, the budget into its own account. */
export function placeInModel(model: LedgerModel, job: TestJob): void {
  const payer = accountKey(payerOwner(job), job.currency);
  const escrow = accountKey('escrow', job.currency);
  move(model, payer, escrow, job.amount);
  model.holds.set(job.job_id, 'held');
  if (job.evaluator) {
    move(model, payer, escrow, job.evaluator.amount);
    model.holds.set(job.evaluator.hold_id, 'held');
  }
  if (job.budget) {
    move(model, payer, accountKey(budgetOwner(job.job_id), job.currency), job.budget);
    model.budgets.set(job.job_id, { currency: job.currency, funderKey: payerOwner(job), closed: false });
  }
}

type Outcome = { kind: 'release' } | { kind: 'refund' } | { kind: 'split'; workerSharePct: number };
const STATUS_OF: Record<Outcome['kind'], HoldStatus> = { release: 'released', refund: 'refunded', split: 'split' };

/** Settles one held hold out of escrow: the payee's part less the fee, the fee, the rest back to the payer's account. */
function settleHold(model: LedgerModel, hold: { id: string; amount: number; currency: Currency; payer: string; payee: string }, outcome: Outcome): void {
  if (model.holds.get(hold.id) !== 'held') return;
  const part = outcome.kind === 'release' ? hold.amount : outcome.kind === 'split' ? Math.floor((hold.amount * outcome.workerSharePct) / 100) : 0;
  const fee = platformFee(part, hold.currency);
  const escrow = accountKey('escrow', hold.currency);
  move(model, escrow, agentAccount(hold.payee, hold.currency), part - fee);
  move(model, escrow, accountKey('platform', hold.currency), fee);
  move(model, escrow, accountKey(hold.payer, hold.currency), hold.amount - part);
  model.holds.set(hold.id, STATUS_OF[outcome.kind]);
}

/** Closes a job's own budget, if it has an open one. */
function closeBudget(model: LedgerModel, jobId: string): void {
  const budget = model.budgets.get(jobId);
  if (budget) budget.closed = true;
}

/** A closed budget keeps nothing: whatever is in one (what was left, a late refund, a child's return) goes on up to the first open account. */
function returnFromClosedBudgets(model: LedgerModel): void {
  for (let moved = true; moved; ) {
    moved = false;
    for (const [jobId, budget] of model.budgets) {
      const key = accountKey(budgetOwner(jobId), budget.currency);
      const left = balanceOf(model, key);
      if (!budget.closed || left === 0) continue;
      move(model, key, accountKey(budget.funderKey, budget.currency), left);
      moved = true;
    }
  }
}

const ESCROW_AFTER: Partial<Record<JobStatus, Outcome['kind']>> = {
  completed: 'release',
  resolved: 'split',
  cancelled: 'refund',
  failed: 'refund',
  expired: 'refund',
};

/**
 * Moves the model's money for a job that just ended: its price (worker part
 * minus fee, fee, refund to whoever paid), the evaluator's fee (paid when
 * its verdict ended the job, refunded otherwise), then its budget closes
 * and every closed budget returns what it holds.
 */
export function settleInModel(model: LedgerModel, job: TestJob, status: JobStatus, workerSharePct: number, byEvaluatorVerdict: boolean): void {
  const kind = ESCROW_AFTER[status];
  if (!kind) throw new Error(`${status} does not end a job`);
  const payer = payerOwner(job);
  const outcome: Outcome = kind === 'split' ? { kind, workerSharePct } : { kind };
  settleHold(model, { id: job.job_id, amount: job.amount, currency: job.currency, payer, payee: job.worker_agent_id }, outcome);
  if (job.evaluator) {
    const fee = { id: job.evaluator.hold_id, amount: job.evaluator.amount, currency: job.currency, payer, payee: job.evaluator.agent_id };
    settleHold(model, fee, { kind: byEvaluatorVerdict ? 'release' : 'refund' });
  }
  closeBudget(model, job.job_id);
  returnFromClosedBudgets(model);
}

/** A hire that gave up after its holds were placed: the price refunded and the budget closed (jobs abandons the evaluator's fee by its own id). */
export function abandonInModel(model: LedgerModel, job: TestJob): void {
  settleHold(model, { id: job.job_id, amount: job.amount, currency: job.currency, payer: payerOwner(job), payee: job.worker_agent_id }, { kind: 'refund' });
  closeBudget(model, job.job_id);
  returnFromClosedBudgets(model);
}

/** The evaluator fee's own abandonment: refunded to whoever paid it. */
export function abandonFeeInModel(model: LedgerModel, job: TestJob): void {
  if (!job.evaluator) return;
  const fee = { id: job.evaluator.hold_id, amount: job.evaluator.amount, currency: job.currency, payer: payerOwner(job), payee: job.evaluator.agent_id };
  settleHold(model, fee, { kind: 'refund' });
  returnFromClosedBudgets(model);
}
