import { describe, expect, it } from 'vitest';
import { AppError, SYSTEM_ACTOR, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { jobOutcomeChanges } from './job-outcome.ts';

const client = uuidv7();
const worker = uuidv7();
const jobId = uuidv7();
const occurredAt = '2026-11-22T11:00:00.000Z';
const byClient = { client: { type: 'agent', id: client } } as const;

function jobEvent(type: string, specific: Record<string, unknown> = {}): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    occurred_at: occurredAt,
    aggregate_id: jobId,
    aggregate_version: 3,
    actor: SYSTEM_ACTOR,
    data: {
      job_id: jobId,
      service_id: uuidv7(),
      client_agent_id: client,
      worker_agent_id: worker,
      parent_job_id: null,
      title: null,
      status: 'completed',
      from_status: 'delivered',
      currency: 'USD',
      amount: 1000,
      revision_count: 0,
      estimated_minutes: 30,
      started_at: '2026-11-22T10:00:00.000Z',
      delivered_at: '2026-11-22T10:20:00.000Z',
      ...specific,
    },
  };
}

describe('jobOutcomeChanges', () => {
  it('counts a hire for the client', () => {
    expect(jobOutcomeChanges(jobEvent('job_created'))).toEqual([{ kind: 'hired', agentId: client }]);
  });

  it('counts a rated completion for the worker, with its rating and on-time record', () => {
    expect(jobOutcomeChanges(jobEvent('job_completed', { rating: 4, review: 'ok', auto: false }))).toEqual([
      { kind: 'completed', agentId: worker, onTime: true, rating: { jobId, agentId: worker, rating: 4, ratedAt: new Date(occurredAt) }, ...byClient },
    ]);
  });

  it('counts an auto-completion without a rating, and a late one as late', () => {
    expect(jobOutcomeChanges(jobEvent('job_completed', { rating: null, auto: true, delivered_at: '2026-11-22T10:31:00.000Z' }))).toEqual([
      { kind: 'completed', agentId: worker, onTime: false, rating: null, ...byClient },
    ]);
  });

  it('counts failures and expiries against the worker', () => {
    expect(jobOutcomeChanges(jobEvent('job_failed', { reason: 'no' }))).toEqual([{ kind: 'failed', agentId: worker, ...byClient }]);
    expect(jobOutcomeChanges(jobEvent('job_expired'))).toEqual([{ kind: 'failed', agentId: worker, ...byClient }]);
  });

  it('does not count a client cancellation before the start against the worker, but one past the delivery deadline does', () => {
    expect(jobOutcomeChanges(jobEvent('job_cancelled', { status: 'cancelled', from_status: 'pending' }))).toEqual([]);
    for (const from of ['in_progress', 'revision_requested']) {
      expect(jobOutcomeChanges(jobEvent('job_cancelled', { status: 'cancelled', from_status: from }))).toEqual([
        { kind: 'failed', agentId: worker, ...byClient },
      ]);
    }
  });

  it('names a buyer (a person) as the client when no agent hired', () => {
    const buyer = uuidv7();
    expect(jobOutcomeChanges(jobEvent('job_failed', { reason: 'no', client_agent_id: null, client_user_id: buyer }))).toEqual([
      { kind: 'failed', agentId: worker, client: { type: 'user', id: buyer } },
    ]);
  });

  it('counts a resolution as a completion from a 50 % worker share, else as a failure', () => {
    expect(jobOutcomeChanges(jobEvent('job_resolved', { worker_share_pct: 50, note: 'n' }))).toEqual([
      { kind: 'completed', agentId: worker, onTime: true, rating: null, ...byClient },
    ]);
    expect(jobOutcomeChanges(jobEvent('job_resolved', { worker_share_pct: 49, note: 'n' }))).toEqual([{ kind: 'failed', agentId: worker, ...byClient }]);
  });

  it('counts a completion of a free job, but not its rating: only a paying counterparty rates', () => {
    expect(jobOutcomeChanges(jobEvent('job_completed', { rating: 5, amount: 0 }))).toEqual([
      { kind: 'completed', agentId: worker, onTime: true, rating: null, ...byClient },
    ]);
  });

  it("turns a worker's rating of its client into the client's rating, by the worker", () => {
    expect(jobOutcomeChanges(jobEvent('client_rated', { rating: 2, review: 'vague brief' }))).toEqual([
      { kind: 'client_rated', agentId: client, rating: { jobId, agentId: client, rating: 2, ratedAt: new Date(occurredAt) }, worker: { type: 'agent', id: worker } },
    ]);
  });

  it("ignores a rating of a person (no profile to show it) and of a free job's client", () => {
    expect(jobOutcomeChanges(jobEvent('client_rated', { rating: 4, client_agent_id: null, client_user_id: uuidv7() }))).toEqual([]);
    expect(jobOutcomeChanges(jobEvent('client_rated', { rating: 4, amount: 0 }))).toEqual([]);
  });

  it('changes nothing for the other job events', () => {
    for (const type of ['job_started', 'job_delivered', 'revision_requested', 'job_cancelled', 'job_disputed']) {
      expect(jobOutcomeChanges(jobEvent(type))).toEqual([]);
    }
  });

  it('lower-cases agent ids, as Postgres returns them', () => {
    expect(jobOutcomeChanges(jobEvent('job_created', { client_agent_id: client.toUpperCase() }))).toEqual([{ kind: 'hired', agentId: client }]);
  });

  it('rejects a malformed event of a type that matters permanently', () => {
    for (const bad of [
      jobEvent('job_completed', { rating: 7 }),
      jobEvent('job_failed', { worker_agent_id: 'nobody' }),
      jobEvent('job_resolved', {}),
      jobEvent('client_rated', { rating: 0 }),
      { ...jobEvent('job_completed', { rating: 5 }), occurred_at: 'yesterday' },
    ]) {
      expect(() => jobOutcomeChanges(bad)).toThrow(AppError);
    }
  });
});
