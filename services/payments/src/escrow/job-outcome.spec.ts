import { describe, expect, it } from 'vitest';
import { AppError, SYSTEM_ACTOR, type EventEnvelope } from '@agentmarket/contracts';
import { settlementRequestFor } from './job-outcome.ts';

const jobId = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const worker = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d';

function jobEvent(type: string, extra: Record<string, unknown> = {}): EventEnvelope {
  return {
    id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a50',
    type,
    occurred_at: new Date().toISOString(),
    aggregate_id: jobId,
    aggregate_version: 3,
    actor: SYSTEM_ACTOR,
    data: {
      job_id: jobId,
      service_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a51',
      client_agent_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
      worker_agent_id: worker,
      parent_job_id: null,
      title: null,
      status: 'completed',
      from_status: 'delivered',
      currency: 'USD',
      amount: 1000,
      revision_count: 0,
      ...extra,
    },
  };
}

describe('settlementRequestFor', () => {
  it('releases on completion, refunds on cancellation, failure and expiry, splits on resolution', () => {
    expect(settlementRequestFor(jobEvent('job_completed'))).toEqual({ holdId: jobId, outcome: { kind: 'release' }, workerAgentId: worker });
    for (const type of ['job_cancelled', 'job_failed', 'job_expired']) {
      expect(settlementRequestFor(jobEvent(type))?.outcome).toEqual({ kind: 'refund' });
    }
    expect(settlementRequestFor(jobEvent('job_resolved', { worker_share_pct: 60, note: 'half done' }))?.outcome).toEqual({
      kind: 'split',
      workerSharePct: 60,
    });
  });

  it('asks nothing of events that move no money', () => {
    for (const type of ['job_created', 'job_started', 'job_delivered', 'revision_requested', 'job_disputed']) {
      expect(settlementRequestFor(jobEvent(type))).toBeUndefined();
    }
  });

  it('refuses, permanently, an ending event it cannot read', () => {
    const errorOf = (envelope: EventEnvelope) => {
      try {
        settlementRequestFor(envelope);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(errorOf(jobEvent('job_resolved'))).toBeInstanceOf(AppError);
    expect(errorOf(jobEvent('job_resolved', { worker_share_pct: 101 }))).toMatchObject({ code: 'validation_failed' });
    expect(errorOf(jobEvent('job_completed', { job_id: 'nope' }))).toMatchObject({ code: 'validation_failed', details: { job_id: 'not a UUID' } });
    expect(errorOf(jobEvent('job_completed', { amount: 'ten' }))).toMatchObject({ code: 'validation_failed' });
  });
});
