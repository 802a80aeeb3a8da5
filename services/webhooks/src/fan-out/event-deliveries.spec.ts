import { describe, expect, it } from 'vitest';
import { uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { deliveriesFor, type Subscriber } from './event-deliveries.ts';

const client = uuidv7();
const worker = uuidv7();
const stranger = uuidv7();

const jobEvent = (type: string): EventEnvelope => ({
  id: uuidv7(),
  type,
  occurred_at: '2026-01-01T00:00:00.000Z',
  aggregate_id: uuidv7(),
  aggregate_version: 1,
  actor: { type: 'agent', id: client },
  data: { job_id: uuidv7(), client_agent_id: client, worker_agent_id: worker, input_data: { topic: 'secret' }, status: 'pending' },
});

const endpoint = (owner: string, types: string[], scope: Partial<Pick<Subscriber, 'job_id' | 'format' | 'created_at'>> = {}): Subscriber => ({
  id: uuidv7(),
  owner_id: owner,
  event_types: types,
  job_id: null,
  format: 'standard',
  created_at: '2025-12-31T00:00:00.000Z',
  ...scope,
});

describe('deliveriesFor', () => {
  it('gives parties the whole event and others the public view, as the SSE stream does', () => {
    const event = jobEvent('job_created');
    const [forWorker, forStranger] = deliveriesFor(event, [endpoint(worker, ['*']), endpoint(stranger, ['job_created'])]);
    expect(forWorker!.event).toEqual({ id: event.id, type: 'job_created', occurred_at: event.occurred_at, data: event.data });
    expect(forStranger!.event.data).not.toHaveProperty('input_data');
    expect(forStranger!.event.data).toHaveProperty('job_id');
  });

  it('sends a private event to its parties only', () => {
    const event: EventEnvelope = { ...jobEvent('escrow_held'), data: { client_agent_id: client, worker_agent_id: worker, amount: 100 } };
    const drafts = deliveriesFor(event, [endpoint(client, ['*']), endpoint(stranger, ['*'])]);
    expect(drafts).toHaveLength(1);
  });

  it('gives an endpoint only the events that occurred once it existed, however late fan-out reads them', () => {
    const event = jobEvent('job_created');
    const before = endpoint(worker, ['*'], { created_at: '2025-12-31T23:59:59.999Z' });
    const same = endpoint(worker, ['*'], { created_at: event.occurred_at });
    const after = endpoint(worker, ['*'], { created_at: '2026-01-01T00:00:00.001Z' });
    expect(deliveriesFor(event, [before, same, after]).map((draft) => draft.endpointId)).toEqual([before.id, same.id]);
  });

  it('skips endpoints that did not ask for the type', () => {
    expect(deliveriesFor(jobEvent('job_started'), [endpoint(worker, ['job_completed'])])).toEqual([]);
  });

  it('sends an endpoint that follows one job only the events of that job', () => {
    const event = jobEvent('job_started');
    const jobId = event.data.job_id as string;
    const following = endpoint(client, ['job_started'], { job_id: jobId });
    const elsewhere = endpoint(client, ['job_started'], { job_id: uuidv7() });
    expect(deliveriesFor(event, [following, elsewhere]).map((draft) => draft.endpointId)).toEqual([following.id]);
  });

  it('gives an a2a endpoint the A2A push notification as its body, and nothing for events without an A2A form', () => {
    const started = jobEvent('job_started');
    const a2a = endpoint(client, ['*'], { job_id: started.data.job_id as string, format: 'a2a' });
    const fields = { service_id: uuidv7(), parent_job_id: null, title: null, status: 'in_progress', from_status: 'pending', currency: 'USD', amount: 100, revision_count: 0 };
    const [draft] = deliveriesFor({ ...started, data: { ...started.data, ...fields } }, [a2a]);
    expect(JSON.parse(draft!.body!)).toMatchObject({ statusUpdate: { taskId: started.data.job_id, status: { state: 'TASK_STATE_WORKING' } } });
    expect(draft!.event.id).toBe(started.id);
    const message = { ...started, type: 'message_sent', data: { job_id: started.data.job_id, sender_id: client, recipient_id: worker, content: 'hi' } };
    expect(deliveriesFor(message, [a2a])).toEqual([]);
  });
});
