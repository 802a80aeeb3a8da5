import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, SUBJECTS, uuidv7, type ActivityEntry, type ActivityPage, type EventEnvelope } from '@agentmarket/contracts';
import { agentRegistered, jobEvents, newJob } from './job-events.ts';
import { startMessagingFixture, waitUntil, type MessagingFixture } from './messaging-fixture.ts';

let fixture: MessagingFixture;

const activity = (query: Record<string, unknown> = {}) =>
  fixture.bus.request<ActivityPage>(SUBJECTS.messaging.activity, { limit: 100, ...query });
const rowsOf = async (where: string, params: unknown[]) =>
  Number((await fixture.sql<{ n: string }>(`select count(*) as n from messaging.activity where ${where}`, params))[0]?.n);

/** Publishes a public event and waits for its row: the log is written in stream order, so everything before it is handled too. */
async function catchUp(): Promise<void> {
  const sentinel = agentRegistered('Sentinel');
  await fixture.publish(sentinel);
  await waitUntil(async () => (await rowsOf('event_id = ?', [sentinel.id])) === 1);
}

const job = newJob('Translate a poem');
const other = { ...newJob('Second job'), worker_agent_id: job.worker_agent_id };
const jobLog = jobEvents(job);
const otherLog = jobEvents(other);
const deliverable = { id: uuidv7(), version: 1, artifact_type: 'text' };
const lifecycle: EventEnvelope[] = [
  jobLog.event('job_created', jobLog.client, { input_data: { poem: 'SECRET INPUT' } }),
  jobLog.event('job_started', jobLog.worker),
  jobLog.event('job_delivered', jobLog.worker, { deliverable, content: 'SECRET CONTENT', artifact_metadata: { tokens: 12 } }),
  jobLog.event('revision_requested', jobLog.client, { feedback: 'SECRET FEEDBACK' }),
  jobLog.event('job_delivered', jobLog.worker, { deliverable: { ...deliverable, version: 2 }, content: 'SECRET CONTENT 2', artifact_metadata: {} }),
  jobLog.event('job_completed', jobLog.client, { rating: 4, review: 'Good', auto: false }),
];
const otherEvents = [
  otherLog.event('job_created', otherLog.client, { input_data: {} }),
  otherLog.event('job_cancelled', otherLog.client, { reason: 'SECRET REASON' }),
];
const serviceId = uuidv7();
const serviceCreated: EventEnvelope = {
  id: uuidv7(),
  type: 'service_created',
  occurred_at: new Date().toISOString(),
  aggregate_id: serviceId,
  aggregate_version: 1,
  actor: { type: 'agent', id: job.worker_agent_id },
  data: { agent_id: job.worker_agent_id, service: { id: serviceId, name: 'Poem translation' } },
};
const keyRotated: EventEnvelope = {
  id: uuidv7(),
  type: 'agent_key_rotated',
  occurred_at: new Date().toISOString(),
  aggregate_id: job.worker_agent_id,
  aggregate_version: 2,
  actor: { type: 'agent', id: job.worker_agent_id },
  data: { agent_id: job.worker_agent_id, key_id: uuidv7(), revoked_key_id: uuidv7() },
};
const unknown: EventEnvelope = { ...keyRotated, id: uuidv7(), type: 'thing_happened', data: { agent_id: job.worker_agent_id } };

beforeAll(async () => {
  fixture = await startMessagingFixture();
  await fixture.publish(serviceCreated);
  for (const event of [...lifecycle, ...otherEvents]) await fixture.publish(event);
  await fixture.publish(keyRotated);
  await fixture.publishRaw('evt.thing.happened', unknown);
  await catchUp();
});
afterAll(async () => fixture?.stop());

describe('activity log', () => {
  it('records one row per public event with its public view only', async () => {
    const page = await activity({ job_id: job.job_id });
    expect(page.next_cursor).toBeNull();
    expect(page.data.map((entry) => entry.event_id)).toEqual(lifecycle.map((event) => event.id).reverse());
    for (const entry of page.data) {
      const event = lifecycle.find((candidate) => candidate.id === entry.event_id) as EventEnvelope;
      expect(entry).toMatchObject({ type: event.type, actor: event.actor, job_id: job.job_id, service_id: job.service_id, occurred_at: event.occurred_at });
      expect(entry.agent_ids.sort()).toEqual([job.client_agent_id, job.worker_agent_id].sort());
      for (const secret of ['input_data', 'content', 'artifact_metadata', 'feedback', 'reason', 'note']) expect(entry.data).not.toHaveProperty(secret);
      expect(JSON.stringify(entry)).not.toContain('SECRET');
      expect(entry.summary).toContain('"Translate a poem"');
    }
    const [completed] = page.data;
    expect(completed?.summary).toBe('"Translate a poem" was completed with a 4/5 rating.');
    expect(completed?.data).toMatchObject({ rating: 4, status: 'completed', amount: 1250 });
    const cancelled = (await activity({ job_id: other.job_id })).data[0];
    expect(cancelled).toMatchObject({ type: 'job_cancelled', summary: '"Second job" was cancelled.' });
    expect(JSON.stringify(cancelled)).not.toContain('SECRET');
  });

  it('takes the service id of service events from the aggregate', async () => {
    const [entry] = (await activity({ type: 'service_created' })).data;
    expect(entry).toMatchObject({ event_id: serviceCreated.id, service_id: serviceId, job_id: null, summary: 'Service "Poem translation" was published.' });
    expect(entry?.agent_ids).toEqual([job.worker_agent_id]);
  });

  it('filters by agent, job and type, and pages with a cursor', async () => {
    const worker = await activity({ agent_id: job.worker_agent_id });
    const expectedIds = [serviceCreated, ...lifecycle, ...otherEvents].map((event) => event.id).reverse();
    expect(worker.data.map((entry) => entry.event_id)).toEqual(expectedIds);
    expect((await activity({ agent_id: job.client_agent_id })).data).toHaveLength(lifecycle.length);
    const created = await activity({ agent_id: job.worker_agent_id, type: 'job_created' });
    expect(created.data.map((entry) => entry.job_id)).toEqual([other.job_id, job.job_id]);
    expect((await activity({ job_id: other.job_id, type: 'job_started' })).data).toEqual([]);

    const seen: ActivityEntry[] = [];
    let cursor: string | null | undefined;
    do {
      const page: ActivityPage = await activity({ agent_id: job.worker_agent_id, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(worker.data);
  });

  it('records an event delivered twice once', async () => {
    const [created] = lifecycle;
    await fixture.publish(created as EventEnvelope, uuidv7());
    await catchUp();
    expect(await rowsOf('event_id = ?', [created?.id])).toBe(1);
  });

  it('skips private and unknown events, including the messages the service itself announces', async () => {
    // Automatic messages are not announced (the job event is the fact): a direct message's announcement stands in.
    await fixture.publish({
      ...keyRotated,
      id: uuidv7(),
      type: 'message_sent',
      aggregate_id: uuidv7(),
      aggregate_version: 1,
      data: { message: {}, from_agent_id: job.worker_agent_id, to_agent_id: job.client_agent_id, job_id: job.job_id },
    });
    await catchUp();
    expect(await rowsOf('type in (?)', [['agent_key_rotated', 'message_sent', 'thing_happened']])).toBe(0);
    expect(await rowsOf('event_id in (?)', [[keyRotated.id, unknown.id]])).toBe(0);
  });

  it('refuses a malformed query', async () => {
    for (const query of [{ cursor: 'garbage' }, { agent_id: 'nope' }, { type: 'Not A Type' }, { limit: 0 }]) {
      const outcome = await activity(query).then(
        () => 'resolved',
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      );
      expect(outcome).toBe('validation_failed');
    }
  });
});
