import { describe, expect, it } from 'vitest';
import type { PersistedJobSnapshot } from '@agentmarket/job-machine';
import type { Job } from './job.entity.ts';
import { applyTransitionEffects } from './transition-effects.ts';

const deadline = new Date('2026-12-05T12:00:00.000Z');
const now = new Date('2026-12-05T11:00:00.000Z');
const snapshot = (status: PersistedJobSnapshot['status']): PersistedJobSnapshot => ({ machineVersion: 1, status, context: { revisionCount: 0, maxRevisions: 1 } });

/** A started job with a running deadline: only the fields the effects read or write matter here. */
function aStartedJob(overrides: Partial<Job> = {}): Job {
  return {
    status: 'in_progress',
    revisionCount: 0,
    deliveryWindowSeconds: 3600,
    autoCompleteSeconds: 3600,
    deliveryDeadline: deadline,
    acceptDeadline: null,
    autoCompleteAt: null,
    pendingExtension: null,
    ...overrides,
  } as Job;
}

describe('extension effects', () => {
  it('a request records what was asked and keeps the deadline and its timer', () => {
    const job = aStartedJob();
    const effects = applyTransitionEffects(job, [], 'request_extension', { minutes: 30, reason: 'more data' }, snapshot('in_progress'), now);
    expect(job.pendingExtension).toEqual({ minutes: 30, reason: 'more data', requested_at: now.toISOString() });
    expect(job.deliveryDeadline).toEqual(deadline);
    expect(effects).toEqual({ eventData: { minutes: 30, reason: 'more data' }, historyDetails: { minutes: 30, reason: 'more data' }, keepTimers: true });
  });

  it('a grant moves the deadline by the minutes from the current deadline, and the timer with it', () => {
    const job = aStartedJob({ pendingExtension: { minutes: 45, reason: 'x', requested_at: now.toISOString() } });
    const effects = applyTransitionEffects(job, [], 'grant_extension', { grant: true }, snapshot('in_progress'), now);
    const moved = new Date(deadline.getTime() + 45 * 60_000);
    expect(job.deliveryDeadline).toEqual(moved);
    expect(job.pendingExtension).toBeNull();
    expect(effects.timer).toEqual({ kind: 'delivery_deadline', dueAt: moved });
    expect(effects.eventData).toEqual({ minutes: 45, previous_delivery_deadline: deadline.toISOString(), delivery_deadline: moved.toISOString() });
    expect(effects.keepTimers).toBeUndefined();
  });

  it('a decline clears the request and nothing else', () => {
    const job = aStartedJob({ pendingExtension: { minutes: 45, reason: 'x', requested_at: now.toISOString() } });
    const effects = applyTransitionEffects(job, [], 'decline_extension', { grant: false }, snapshot('revision_requested'), now);
    expect(job.pendingExtension).toBeNull();
    expect(job.deliveryDeadline).toEqual(deadline);
    expect(effects).toMatchObject({ eventData: { minutes: 45 }, keepTimers: true });
    expect(effects.timer).toBeUndefined();
  });

  it('any other transition lets an unanswered request lapse', () => {
    const job = aStartedJob({ pendingExtension: { minutes: 45, reason: 'x', requested_at: now.toISOString() } });
    applyTransitionEffects(job, [], 'fail', { reason: 'cannot' }, snapshot('failed'), now);
    expect(job.pendingExtension).toBeNull();
    expect(job.deliveryDeadline).toBeNull();
  });
});

describe('a revision request', () => {
  const delivered = (overrides: Partial<Job> = {}) =>
    aStartedJob({
      id: 'job-1',
      serviceId: 'service-1',
      workerAgentId: 'worker-1',
      title: 'A haiku',
      inputData: { topic: 'the sea' },
      status: 'delivered',
      version: 4,
      ...overrides,
    });
  const deliverable = (version: number, content: string) =>
    ({ id: `d${version}`, jobId: 'job-1', version, artifactType: 'text', content, artifactMetadata: {}, createdAt: now }) as const;
  const revising = { machineVersion: 1, status: 'revision_requested' as const, context: { revisionCount: 2, maxRevisions: 3 } };

  it('of a hosted job queues its work item with the revision number, the feedback and the latest deliverable', () => {
    const job = delivered({ hosted: true });
    const effects = applyTransitionEffects(job, [deliverable(2, 'second'), deliverable(1, 'first')], 'request_revision', { feedback: 'mention the moon' }, revising, now);
    expect(effects.workItems).toEqual([
      {
        type: 'llm_work_requested',
        aggregateId: 'job-1',
        aggregateVersion: 5,
        actor: { type: 'system', id: null },
        subject: 'work.llm.job-1',
        data: {
          job_id: 'job-1',
          service_id: 'service-1',
          worker_agent_id: 'worker-1',
          title: 'A haiku',
          input_data: { topic: 'the sea' },
          revision: 2,
          feedback: 'mention the moon',
          previous_deliverable: { version: 2, artifact_type: 'text', content: 'second' },
        },
      },
    ]);
  });

  it('of a job its worker does itself queues nothing', () => {
    const effects = applyTransitionEffects(delivered({ hosted: false }), [deliverable(1, 'first')], 'request_revision', { feedback: 'again' }, revising, now);
    expect(effects.workItems).toBeUndefined();
  });
});
