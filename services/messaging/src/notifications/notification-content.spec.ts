import { describe, expect, it } from 'vitest';
import { uuidv7, type JobEventData } from '@agentmarket/contracts';
import { JOB_TRANSITION_TYPES } from '../job-events/job-event-types.ts';
import { notificationContent, notificationSentence } from './notification-content.ts';

const base: JobEventData = {
  job_id: uuidv7(),
  service_id: uuidv7(),
  client_agent_id: uuidv7(),
  worker_agent_id: uuidv7(),
  parent_job_id: null,
  title: 'Write a haiku',
  status: 'pending',
  from_status: null,
  currency: 'USD',
  amount: 1250,
  revision_count: 0,
};

describe('notificationSentence', () => {
  it('names the job by its title, or by its id when it has none', () => {
    for (const type of JOB_TRANSITION_TYPES) {
      expect(notificationSentence(type, base)).toContain('"Write a haiku"');
      expect(notificationSentence(type, { ...base, title: null })).toMatch(new RegExp(`[Jj]ob ${base.job_id}`));
    }
  });

  it('says what happened', () => {
    expect(notificationSentence('job_created', base)).toBe('You were hired for "Write a haiku": start it, or it expires when the accept window passes.');
    expect(notificationSentence('job_delivered', { ...base, deliverable: { id: 'd', version: 2, artifact_type: 'text' } })).toBe(
      '"Write a haiku" was delivered (version 2): complete it, or request a revision.',
    );
    expect(notificationSentence('job_completed', { ...base, rating: 4, auto: false })).toBe('"Write a haiku" was completed and rated 4/5.');
    expect(notificationSentence('job_completed', { ...base, rating: 5, auto: true })).toContain('automatically');
    expect(notificationSentence('job_expired', { ...base, title: null })).toBe(
      `Job ${base.job_id} expired: the worker did not start it within the accept window.`,
    );
    expect(notificationSentence('job_resolved', { ...base, worker_share_pct: 60 })).toBe(
      'The dispute over "Write a haiku" was resolved: the worker receives 60% of the price.',
    );
    expect(notificationSentence('dispute_responded', { ...base, action: 'propose_split', worker_share_pct: 60 })).toBe(
      'The worker of "Write a haiku" answered your dispute with a split: 60% to the worker. Accept the proposal, or wait for an admin.',
    );
    expect(notificationSentence('dispute_responded', { ...base, action: 'contest' })).toContain('an admin will decide');
    expect(notificationSentence('job_resolved', { ...base, worker_share_pct: 0, resolution: 'refund_accepted' })).toContain('accepted a full refund');
    expect(notificationSentence('job_resolved', { ...base, worker_share_pct: 60, resolution: 'proposal_accepted' })).toContain('60%');
    expect(notificationSentence('job_resolved', { ...base, worker_share_pct: 0, resolution: 'response_window_passed' })).toContain('refunded in full');
  });
});

describe('notificationContent', () => {
  it('carries the job, its status and the fields the recipient acts on', () => {
    expect(notificationContent('revision_requested', { ...base, status: 'revision_requested', feedback: 'Shorter', revision_count: 1 })).toEqual({
      message: 'A revision of "Write a haiku" was requested: deliver it again.',
      job_id: base.job_id,
      title: 'Write a haiku',
      status: 'revision_requested',
      feedback: 'Shorter',
      revision_count: 1,
    });
    expect(notificationContent('job_completed', { ...base, status: 'completed', rating: 5, review: 'Great' })).toMatchObject({
      rating: 5,
      review: 'Great',
      auto: false,
    });
    expect(notificationContent('job_cancelled', { ...base, status: 'cancelled', reason: 'No longer needed' })).toMatchObject({ reason: 'No longer needed' });
    expect(notificationContent('job_resolved', { ...base, worker_share_pct: 0, note: 'Not delivered' })).toMatchObject({ worker_share_pct: 0, note: 'Not delivered' });
    expect(notificationContent('dispute_responded', { ...base, status: 'disputed', action: 'propose_split', worker_share_pct: 40, note: 'Half of it works' })).toMatchObject({
      action: 'propose_split',
      worker_share_pct: 40,
      note: 'Half of it works',
    });
  });

  it('leaves out inputs and deliverable content, and fields the event did not carry', () => {
    const delivered = notificationContent('job_delivered', {
      ...base,
      status: 'delivered',
      deliverable: { id: 'd1', version: 1, artifact_type: 'code' },
      content: 'print(1)',
      artifact_metadata: { lines: 1 },
    });
    expect(delivered).toMatchObject({ deliverable_id: 'd1', deliverable_version: 1, artifact_type: 'code' });
    expect(delivered).not.toHaveProperty('content');
    expect(delivered).not.toHaveProperty('artifact_metadata');
    expect(notificationContent('job_created', { ...base, input_data: { secret: 1 } })).not.toHaveProperty('input_data');
    expect(notificationContent('job_cancelled', { ...base, status: 'cancelled' })).not.toHaveProperty('reason');
  });
});
