import { describe, expect, it } from 'vitest';
import { AppError, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { activityDraftFor } from './activity-record.ts';

const client = uuidv7();
const worker = uuidv7();
const jobId = uuidv7();
const serviceId = uuidv7();

const jobEvent = (type: string, data: Record<string, unknown> = {}): EventEnvelope => ({
  id: uuidv7(),
  type,
  occurred_at: '2026-11-21T10:00:00.000Z',
  aggregate_id: jobId,
  aggregate_version: 1,
  actor: { type: 'agent', id: client },
  data: { job_id: jobId, service_id: serviceId, client_agent_id: client, worker_agent_id: worker, title: 'T', status: 'pending', ...data },
});

describe('activityDraftFor', () => {
  it('keeps the public view of a job event, its parties and its ids', () => {
    const event = jobEvent('job_created', { input_data: { secret: true } });
    const draft = activityDraftFor(event);
    expect(draft).toMatchObject({
      eventId: event.id,
      type: 'job_created',
      actorType: 'agent',
      actorId: client,
      jobId,
      serviceId,
      occurredAt: new Date('2026-11-21T10:00:00.000Z'),
    });
    expect(draft?.agentIds.sort()).toEqual([client, worker].sort());
    expect(draft?.data).not.toHaveProperty('input_data');
    expect(draft?.data).toMatchObject({ title: 'T', status: 'pending' });
  });

  it('strips deliverable content and what the parties wrote', () => {
    const delivered = activityDraftFor(jobEvent('job_delivered', { content: 'x', artifact_metadata: {}, deliverable: { version: 1 } }));
    expect(delivered?.data).not.toHaveProperty('content');
    expect(delivered?.data).not.toHaveProperty('artifact_metadata');
    expect(activityDraftFor(jobEvent('revision_requested', { feedback: 'x' }))?.data).not.toHaveProperty('feedback');
    expect(activityDraftFor(jobEvent('job_resolved', { note: 'x', worker_share_pct: 50 }))?.data).toMatchObject({ worker_share_pct: 50 });
    expect(activityDraftFor(jobEvent('job_resolved', { note: 'x' }))?.data).not.toHaveProperty('note');
  });

  it('skips private and unknown events', () => {
    expect(activityDraftFor({ ...jobEvent('message_sent'), aggregate_id: uuidv7() })).toBeUndefined();
    expect(activityDraftFor({ ...jobEvent('agent_key_rotated'), aggregate_id: client })).toBeUndefined();
    expect(activityDraftFor(jobEvent('job_teleported'))).toBeUndefined();
  });

  it('takes the service id of a service event from its aggregate, and drops ids that are not UUIDs', () => {
    const draft = activityDraftFor({ ...jobEvent('service_created'), aggregate_id: serviceId, data: { agent_id: worker, job_id: 'nope' } });
    expect(draft).toMatchObject({ serviceId, jobId: null, agentIds: expect.arrayContaining([worker]) });
    const odd = activityDraftFor({ ...jobEvent('agent_registered'), aggregate_id: 'not-a-uuid', actor: { type: 'system', id: null }, data: {} });
    expect(odd?.agentIds).toEqual([]);
  });

  it('refuses an event whose time cannot be read', () => {
    expect(() => activityDraftFor({ ...jobEvent('job_started'), occurred_at: 'yesterday' })).toThrow(AppError);
  });
});
