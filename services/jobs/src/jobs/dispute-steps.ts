import type { JobCircumstances, JobMachineEventType } from '@agentmarket/job-machine';
import type { DisputeResponse, Job, JobDispute } from './job.entity.ts';
import type { TimerKind } from '../timers/timers.repository.ts';

type Input = Record<string, unknown>;

/** What a step of the dispute ladder adds to the job's event and history row (the same shape as the other transitions' effects). */
export interface DisputeStepEffects {
  eventData: Record<string, unknown>;
  historyDetails: Record<string, unknown>;
}

/** How a dispute ended without an admin, as job_resolved says (`resolution`); an admin's resolve names none. */
export type LadderResolution = 'refund_accepted' | 'proposal_accepted' | 'response_window_passed';

const DISPUTE_STEPS = ['respond_dispute', 'accept_proposal', 'dispute_timeout'] as const;
export type DisputeStep = (typeof DISPUTE_STEPS)[number];
export const isDisputeStep = (event: JobMachineEventType): event is DisputeStep => (DISPUTE_STEPS as readonly string[]).includes(event);

/** What the machine needs to know about the job's dispute: whether the worker answered, with a proposal, and whether this answer accepts a refund. */
export function disputeCircumstances(job: Job, event: JobMachineEventType, input: Input): JobCircumstances {
  const response = job.dispute?.response ?? null;
  return {
    disputeAnswered: response !== null,
    proposalPending: response?.action === 'propose_split',
    refundAccepted: event === 'respond_dispute' && input.action === 'accept_refund',
  };
}

/**
 * Opens the ladder when the client disputes a delivery: the worker may
 * answer until `respond_by`, when the `dispute_response` timer refunds the
 * client unless it has.
 */
export function openDispute(job: Job, input: Input, now: Date, responseWindowSeconds: number): { timer: { kind: TimerKind; dueAt: Date }; respondBy: string } {
  const respondBy = new Date(now.getTime() + responseWindowSeconds * 1000);
  job.dispute = { reason: typeof input.reason === 'string' ? input.reason : '', opened_at: now.toISOString(), respond_by: respondBy.toISOString(), response: null };
  return { timer: { kind: 'dispute_response', dueAt: respondBy }, respondBy: respondBy.toISOString() };
}

/**
 * Applies an accepted ladder step to the job (in memory). The worker's answer
 * is recorded; a refund it accepts, a proposal the client accepts and a
 * window that passes unanswered resolve the job, with the share payments
 * settles the escrow by (job_resolved's `worker_share_pct`).
 */
export function applyDisputeStep(job: Job, event: DisputeStep, input: Input, now: Date): DisputeStepEffects {
  const dispute = disputeOf(job, now);
  switch (event) {
    case 'respond_dispute': {
      const response: DisputeResponse = {
        action: input.action as DisputeResponse['action'],
        worker_share_pct: input.action === 'propose_split' ? (input.worker_share_pct as number) : null,
        note: input.note as string,
        at: now.toISOString(),
      };
      dispute.response = response;
      if (response.action === 'accept_refund') return resolved(job, now, 0, 'refund_accepted', response.note);
      const details = { action: response.action, worker_share_pct: response.worker_share_pct, note: response.note };
      return { eventData: details, historyDetails: details };
    }
    case 'accept_proposal':
      return resolved(job, now, dispute.response?.worker_share_pct ?? 0, 'proposal_accepted', null);
    case 'dispute_timeout':
      return resolved(job, now, 0, 'response_window_passed', null);
  }
}

function resolved(job: Job, now: Date, workerSharePct: number, resolution: LadderResolution, note: string | null): DisputeStepEffects {
  job.completedAt = now;
  const details = { worker_share_pct: workerSharePct, resolution, ...(note === null ? {} : { note }) };
  return { eventData: details, historyDetails: details };
}

/** The job's dispute; one opened before the ladder existed gets its record now (no reason kept, no window to run). */
function disputeOf(job: Job, now: Date): JobDispute {
  job.dispute ??= { reason: '', opened_at: now.toISOString(), respond_by: now.toISOString(), response: null };
  return job.dispute;
}
