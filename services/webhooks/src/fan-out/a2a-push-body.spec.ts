import { describe, expect, it } from 'vitest';
import { StreamResponse, TaskState } from '@a2a-js/sdk';
import { uuidv7 } from '@agentmarket/contracts';
import { a2aPushBodyOf } from './a2a-push-body.ts';
import type { DeliveredEvent } from '../deliveries/deliveries.repository.ts';

const root = uuidv7();
const parent = uuidv7();
const job = uuidv7();

const jobEvent = (type: string, data: Record<string, unknown>): DeliveredEvent => ({
  id: uuidv7(),
  type,
  occurred_at: '2026-12-05T10:00:00.000Z',
  data: {
    job_id: job,
    service_id: uuidv7(),
    client_agent_id: uuidv7(),
    worker_agent_id: uuidv7(),
    parent_job_id: parent,
    root_job_id: root,
    title: null,
    from_status: null,
    currency: 'USD',
    amount: 250,
    revision_count: 0,
    ...data,
  },
});

describe('a2aPushBodyOf', () => {
  it('is the StreamResponse the SDK serialises: a status update of the task, in the root job’s context, at the event’s time', () => {
    const body = a2aPushBodyOf(jobEvent('job_delivered', { status: 'delivered', from_status: 'in_progress' }))!;
    expect(JSON.parse(body)).toEqual({
      statusUpdate: {
        taskId: job,
        contextId: root,
        status: { state: 'TASK_STATE_INPUT_REQUIRED', timestamp: '2026-12-05T10:00:00.000Z' },
        metadata: { job_status: 'delivered', event_type: 'job_delivered' },
      },
    });
    // What an A2A receiver does with it: the SDK's own parser reads it back.
    const parsed = StreamResponse.fromJSON(JSON.parse(body));
    expect(parsed.payload?.$case === 'statusUpdate' && parsed.payload.value.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
  });

  it('maps every status through the one job ↔ task table', () => {
    const stateOf = (type: string, status: string) => JSON.parse(a2aPushBodyOf(jobEvent(type, { status }))!).statusUpdate.status.state;
    expect(stateOf('job_created', 'pending')).toBe('TASK_STATE_SUBMITTED');
    expect(stateOf('job_completed', 'completed')).toBe('TASK_STATE_COMPLETED');
    expect(stateOf('job_expired', 'expired')).toBe('TASK_STATE_CANCELED');
    expect(stateOf('job_failed', 'failed')).toBe('TASK_STATE_FAILED');
  });

  it('falls back to the parent, then the job itself, for the context of an event older than root_job_id', () => {
    const contextOf = (data: Record<string, unknown>) => JSON.parse(a2aPushBodyOf(jobEvent('job_started', { status: 'in_progress', ...data }))!).statusUpdate.contextId;
    expect(contextOf({ root_job_id: undefined })).toBe(parent);
    expect(contextOf({ root_job_id: undefined, parent_job_id: null })).toBe(job);
  });

  it('has no A2A form for an event that does not change a job’s status, or that is not a job event', () => {
    expect(a2aPushBodyOf(jobEvent('job_deadline_passed', { status: 'in_progress' }))).toBeUndefined();
    expect(a2aPushBodyOf({ id: uuidv7(), type: 'message_sent', occurred_at: '2026-12-05T10:00:00.000Z', data: { job_id: job } })).toBeUndefined();
  });
});
