import type { Currency, EventEnvelope, JobStatus } from '@agentmarket/contracts';
import type { PersistedJobSnapshot } from '@agentmarket/job-machine';
import type { TestJob } from './job-events.ts';

// The model of the property test: what the ledger should hold, computed
// independently of the service (plain integer arithmetic, no shared code).

export const MODEL_FEE_BPS = 250;

export interface ModelJob extends TestJob {
  snapshot: PersistedJobSnapshot;
}

/** An id whose hire gave up: fenced before any hold, or refunded after one. */
export interface FencedHold {
  job: TestJob;
  status: 'abandoned' | 'refunded';
}

export interface LedgerModel {
  agents: string[];
  /** Expected balance per `owner_key|currency`, system accounts included. */
  balances: Map<string, number>;
  jobs: ModelJob[];
  fenced: FencedHold[];
  /** Every job event delivered so far, for redeliveries. */
  delivered: EventEnvelope[];
  credits: { transferId: string; agentId: string; currency: Currency; amount: number }[];
}

export const accountKey = (ownerKey: string, currency: Currency) => `${ownerKey}|${currency}`;
export const agentAccount = (agentId: string, currency: Currency) => accountKey(`agent:${agentId}`, currency);

export function balanceOf(model: LedgerModel, key: string): number {
  return model.balances.get(key) ?? 0;
}

export function move(model: LedgerModel, from: string, to: string, amount: number): void {
  model.balances.set(from, balanceOf(model, from) - amount);
  model.balances.set(to, balanceOf(model, to) + amount);
}

const ESCROW_AFTER: Partial<Record<JobStatus, 'released' | 'refunded' | 'split'>> = {
  completed: 'released',
  resolved: 'split',
  cancelled: 'refunded',
  failed: 'refunded',
  expired: 'refunded',
};

/** The hold status a job's state calls for: settled the right way once the job has ended, else still held. */
export function expectedHoldStatus(status: JobStatus): 'held' | 'released' | 'refunded' | 'split' {
  return ESCROW_AFTER[status] ?? 'held';
}

/** Moves the model's money for a job that just ended: worker part minus fee, fee, refund. */
export function settleInModel(model: LedgerModel, job: ModelJob, status: JobStatus, workerSharePct: number): void {
  const outcome = expectedHoldStatus(status);
  const workerPart = outcome === 'released' ? job.amount : outcome === 'split' ? Math.floor((job.amount * workerSharePct) / 100) : 0;
  const fee = Math.floor((workerPart * MODEL_FEE_BPS) / 10_000);
  const escrow = accountKey('escrow', job.currency);
  move(model, escrow, agentAccount(job.worker_agent_id, job.currency), workerPart - fee);
  move(model, escrow, accountKey('platform', job.currency), fee);
  move(model, escrow, agentAccount(job.client_agent_id, job.currency), job.amount - workerPart);
}
