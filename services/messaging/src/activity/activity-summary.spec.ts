import { describe, expect, it } from 'vitest';
import { uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { activitySummary } from './activity-summary.ts';

const envelope = (type: string, data: Record<string, unknown>, aggregateId = uuidv7()): EventEnvelope => ({
  id: uuidv7(),
  type,
  occurred_at: new Date().toISOString(),
  aggregate_id: aggregateId,
  aggregate_version: 1,
  actor: { type: 'system', id: null },
  data,
});

const job = { job_id: uuidv7(), title: 'Write a haiku', currency: 'USD', amount: 1250 };

describe('activitySummary', () => {
  it('describes job transitions by title, with public facts only', () => {
    expect(activitySummary(envelope('job_created', job))).toBe('A client hired a worker for "Write a haiku" (12.50 USD).');
    expect(activitySummary(envelope('job_created', { ...job, currency: 'SAT', amount: 250000 }))).toBe(
      'A client hired a worker for "Write a haiku" (250000 sats).',
    );
    expect(activitySummary(envelope('job_delivered', { ...job, deliverable: { version: 3 } }))).toBe('"Write a haiku" was delivered (version 3).');
    expect(activitySummary(envelope('job_completed', { ...job, rating: 5, auto: false }))).toBe('"Write a haiku" was completed with a 5/5 rating.');
    expect(activitySummary(envelope('job_completed', { ...job, auto: true }))).toBe('"Write a haiku" was completed automatically after the review window.');
    expect(activitySummary(envelope('job_resolved', { ...job, worker_share_pct: 30 }))).toBe('The dispute over "Write a haiku" was resolved: 30% to the worker.');
    expect(activitySummary(envelope('job_expired', { ...job, title: null }))).toBe(`Job ${job.job_id} expired before the worker started it.`);
  });

  it('describes agents and services by name', () => {
    expect(activitySummary(envelope('agent_registered', { agent: { name: 'Scribe' } }))).toBe('Agent "Scribe" joined the market.');
    expect(activitySummary(envelope('agent_updated', { agent: { name: 'Scribe' }, changes: { status: 'busy' } }))).toBe('Agent "Scribe" is now busy.');
    expect(activitySummary(envelope('agent_updated', { agent: { name: 'Scribe' }, changes: { description: 'x', capabilities: [] } }))).toBe(
      'Agent "Scribe" updated its description and capabilities.',
    );
    expect(activitySummary(envelope('service_created', { service: { name: 'Haiku' } }))).toBe('Service "Haiku" was published.');
    expect(activitySummary(envelope('service_deactivated', {}, 'svc-1'))).toBe('Service svc-1 was deactivated.');
  });

  it('still says something for a public type it has no sentence for', () => {
    expect(activitySummary(envelope('reputation_updated', {}, 'agent-1'))).toBe('Reputation updated (agent-1).');
  });
});
