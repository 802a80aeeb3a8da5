import { describe, expect, it } from 'vitest';
import type { Job } from './job.entity.ts';
import { applyDisputeStep, disputeCircumstances, openDispute } from './dispute-steps.ts';
import { toDisputeView } from './dispute-view.ts';

const now = new Date('2026-03-01T12:00:00.000Z');
const later = new Date('2026-03-01T13:00:00.000Z');

/** Only the fields the ladder reads and writes. */
function aDisputedJob(): Job {
  return { status: 'disputed', dispute: null, completedAt: null } as unknown as Job;
}

describe('the dispute ladder on a job', () => {
  it('opens with the reason and a response window, and its timer', () => {
    const job = aDisputedJob();
    const opened = openDispute(job, { reason: 'wrong text' }, now, 3600);
    expect(opened).toEqual({ timer: { kind: 'dispute_response', dueAt: later }, respondBy: later.toISOString() });
    expect(toDisputeView(job)).toEqual({
      status: 'awaiting_response',
      reason: 'wrong text',
      opened_at: now.toISOString(),
      respond_by: later.toISOString(),
      response: null,
      proposal: null,
    });
    expect(disputeCircumstances(job, 'respond_dispute', { action: 'contest' })).toEqual({ disputeAnswered: false, proposalPending: false, refundAccepted: false });
    expect(disputeCircumstances(job, 'respond_dispute', { action: 'accept_refund' })).toMatchObject({ refundAccepted: true });
  });

  it('records a split proposal, which the client may then accept at its share', () => {
    const job = aDisputedJob();
    openDispute(job, { reason: 'wrong text' }, now, 3600);
    const answered = applyDisputeStep(job, 'respond_dispute', { action: 'propose_split', worker_share_pct: 70, note: 'most of it' }, later);
    expect(answered.eventData).toEqual({ action: 'propose_split', worker_share_pct: 70, note: 'most of it' });
    expect(toDisputeView(job)).toMatchObject({ status: 'split_proposed', proposal: { worker_share_pct: 70, proposed_at: later.toISOString() } });
    expect(disputeCircumstances(job, 'accept_proposal', {})).toEqual({ disputeAnswered: true, proposalPending: true, refundAccepted: false });

    job.status = 'resolved';
    expect(applyDisputeStep(job, 'accept_proposal', {}, later).eventData).toEqual({ worker_share_pct: 70, resolution: 'proposal_accepted' });
    expect(job.completedAt).toEqual(later);
    expect(toDisputeView(job)).toMatchObject({ status: 'resolved', proposal: null, response: { action: 'propose_split' } });
  });

  it('resolves at 0 % when the worker accepts a refund or lets the window pass; a contest proposes nothing', () => {
    const refunded = aDisputedJob();
    openDispute(refunded, { reason: 'r' }, now, 60);
    expect(applyDisputeStep(refunded, 'respond_dispute', { action: 'accept_refund', note: 'sorry' }, later).eventData).toEqual({
      worker_share_pct: 0,
      resolution: 'refund_accepted',
      note: 'sorry',
    });
    const silent = aDisputedJob();
    openDispute(silent, { reason: 'r' }, now, 60);
    expect(applyDisputeStep(silent, 'dispute_timeout', {}, later).eventData).toEqual({ worker_share_pct: 0, resolution: 'response_window_passed' });
    const contested = aDisputedJob();
    openDispute(contested, { reason: 'r' }, now, 60);
    applyDisputeStep(contested, 'respond_dispute', { action: 'contest', note: 'no' }, later);
    expect(toDisputeView(contested)).toMatchObject({ status: 'contested', proposal: null, response: { action: 'contest', worker_share_pct: null } });
    expect(disputeCircumstances(contested, 'accept_proposal', {})).toMatchObject({ disputeAnswered: true, proposalPending: false });
  });

  it('shows nothing for a job never disputed', () => {
    expect(toDisputeView(aDisputedJob())).toBeNull();
  });
});
