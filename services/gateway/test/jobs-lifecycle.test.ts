import { beforeAll, describe, expect, it } from 'vitest';
import {
  SseTestClient,
  eventually,
  hireService,
  jobAction,
  publishService,
  registerAgent,
  useTestStack,
  type TestAgent,
} from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;
let client: TestAgent;
let worker: TestAgent;
let stranger: TestAgent;

beforeAll(async () => {
  [client, worker, stranger] = await Promise.all([
    registerAgent(api, 'Client', ['hiring']),
    registerAgent(api, 'Worker', ['writing']),
    registerAgent(api, 'Stranger', ['lurking']),
  ]);
});

const JOB_EVENTS = ['job_created', 'job_started', 'job_delivered', 'revision_requested', 'job_delivered', 'job_completed'];

describe('a job through its whole lifecycle', () => {
  it('publish, hire, start, deliver, revise, deliver again, complete: inboxes, history, activity and SSE agree', async () => {
    const publicFeed = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events?types=${[...new Set(JOB_EVENTS)].join(',')}`);
    const workerFeed = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events`, { 'x-agent-key': worker.key });
    const service = await publishService(api, worker, { max_revisions: 2, required_inputs: [{ name: 'topic' }] });
    expect(service).toMatchObject({ agent_id: worker.id, agent_name: 'Worker', price_usd: '10.00', price_sats: null, is_active: true });

    const missing = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: {} } });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'missing_inputs', details: { missing: ['topic'] } });
    const own = await api('POST', '/api/jobs', { key: worker.key, body: { service_id: service.id, input_data: { topic: 'x' } } });
    expect(own.status).toBe(400);

    const job = await hireService(api, client, service.id, { title: 'Write about bees', input_data: { topic: 'secret-topic-7f3a' } });
    expect(job).toMatchObject({
      status: 'pending',
      client_agent_id: client.id,
      worker_agent_id: worker.id,
      price_usd: '10.00',
      input_data: { topic: 'secret-topic-7f3a' },
      deliverables: [],
      revision_count: 0,
    });
    expect(job.accept_deadline).toEqual(expect.any(String));

    expect((await jobAction(api, worker, job.id, 'start')).body.status).toBe('in_progress');
    const first = await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'Bees are insects.', metadata: { words: 3 } });
    expect(first.status).toBe(200);
    expect(first.body.deliverables).toMatchObject([{ version: 1, content: 'Bees are insects.', artifact_metadata: { words: 3 } }]);
    expect(first.body.auto_complete_at).toEqual(expect.any(String));
    const revision = await jobAction(api, client, job.id, 'request-revision', { feedback: 'Longer, please' });
    expect(revision.body).toMatchObject({ status: 'revision_requested', revision_count: 1, auto_complete_at: null });
    const second = await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'Bees are flying insects that make honey.' });
    expect(second.body.deliverables.map((d: { version: number }) => d.version)).toEqual([1, 2]);
    const completed = await jobAction(api, client, job.id, 'complete', { rating: 5, review: 'Great' });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', rating: 5, review: 'Great' });
    expect(completed.body.completed_at).toEqual(expect.any(String));

    const history = await api('GET', `/api/jobs/${job.id}/history`, { key: client.key });
    expect(history.body.data.map((t: { from: string | null; to: string; event: string }) => [t.from, t.to, t.event])).toEqual([
      [null, 'pending', 'hire'],
      ['pending', 'in_progress', 'start'],
      ['in_progress', 'delivered', 'deliver'],
      ['delivered', 'revision_requested', 'request_revision'],
      ['revision_requested', 'delivered', 'deliver'],
      ['delivered', 'completed', 'complete'],
    ]);
    expect(history.body.data[1].actor).toEqual({ type: 'agent', id: worker.id });

    // One automatic message to the counter-party per transition: the worker hears of hire, revision, completion.
    const workerInbox = await eventually(
      () => api('GET', `/api/inbox?job_id=${job.id}`, { key: worker.key }),
      (response) => response.body.total >= 3,
    );
    expect(workerInbox.body.messages.map((m: { message_type: string }) => m.message_type).sort()).toEqual(
      ['job_completed', 'job_created', 'revision_requested'].sort(),
    );
    expect(workerInbox.body.unread_count).toBe(3);
    const clientInbox = await eventually(
      () => api('GET', `/api/inbox?job_id=${job.id}`, { key: client.key }),
      (response) => response.body.total >= 3,
    );
    expect(clientInbox.body.messages.map((m: { message_type: string }) => m.message_type).sort()).toEqual(
      ['job_delivered', 'job_delivered', 'job_started'].sort(),
    );
    const read = await api('POST', `/api/inbox/${clientInbox.body.messages[0].id}/read`, { key: client.key });
    expect(read.status).toBe(200);
    expect((await api('POST', `/api/inbox/${clientInbox.body.messages[0].id}/read`, { key: worker.key })).status).toBe(404);
    expect((await api('GET', `/api/inbox?job_id=${job.id}&unread=true`, { key: client.key })).body.unread_count).toBe(2);

    const activity = await eventually(
      () => api('GET', `/api/activity?job_id=${job.id}`),
      (response) => response.body.data.length >= JOB_EVENTS.length,
    );
    expect(activity.body.data.map((entry: { type: string }) => entry.type).reverse()).toEqual(JOB_EVENTS);
    expect(JSON.stringify(activity.body)).not.toContain('secret-topic-7f3a');
    expect(JSON.stringify(activity.body)).not.toContain('Bees are');

    const seen = await publicFeed.waitFor((events) => events.filter((e) => e.data.aggregate_id === job.id).length >= JOB_EVENTS.length);
    const mine = seen.filter((e) => e.data.aggregate_id === job.id);
    expect(mine.map((e) => e.event)).toEqual(JOB_EVENTS);
    // The public feed carries no inputs and no deliverable content.
    expect(mine[0]?.data.data.input_data).toBeUndefined();
    expect(mine[2]?.data.data.content).toBeUndefined();
    expect(mine[2]?.data.data.deliverable).toMatchObject({ version: 1 });
    // The worker, authenticated, sees the full data of its job's events, the inputs included.
    const workerEvents = await workerFeed.waitFor((events) => events.filter((e) => e.data.aggregate_id === job.id).length >= JOB_EVENTS.length);
    expect(workerEvents.find((e) => e.event === 'job_created' && e.data.aggregate_id === job.id)?.data.data.input_data).toEqual({ topic: 'secret-topic-7f3a' });
    publicFeed.close();
    workerFeed.close();
  });

  it('keeps a job thread between client and worker only', async () => {
    const service = await publishService(api, worker);
    const job = await hireService(api, client, service.id);
    const sent = await api('POST', `/api/jobs/${job.id}/messages`, { key: client.key, body: { content: 'When can you start?' } });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ from_agent_id: client.id, to_agent_id: worker.id, message_type: 'direct_message' });
    await api('POST', `/api/jobs/${job.id}/messages`, { key: worker.key, body: { content: 'Now.' } });
    expect((await api('POST', `/api/jobs/${job.id}/messages`, { key: stranger.key, body: { content: 'hi' } })).status).toBe(404);
    expect((await api('GET', `/api/jobs/${job.id}/messages`, { key: stranger.key })).status).toBe(404);
    const thread = await eventually(
      () => api('GET', `/api/jobs/${job.id}/messages`, { key: worker.key }),
      (response) => response.body.data.length >= 3,
    );
    const texts = thread.body.data.map((m: { message_type: string; content: { message: string } }) => m.content.message);
    expect(texts).toContain('When can you start?');
    expect(texts.indexOf('When can you start?')).toBeLessThan(texts.indexOf('Now.'));
  });
});

describe('who may do what', () => {
  it('worker cannot complete, client cannot deliver, a stranger sees nothing (404)', async () => {
    const service = await publishService(api, worker);
    const job = await hireService(api, client, service.id);
    for (const path of ['', '/history', '/tree', '/messages']) {
      const response = await api('GET', `/api/jobs/${job.id}${path}`, { key: stranger.key });
      expect(response.status, path).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    expect((await jobAction(api, stranger, job.id, 'start')).status).toBe(404);
    expect((await jobAction(api, client, job.id, 'start')).body.error.code).toBe('forbidden');
    await jobAction(api, worker, job.id, 'start');
    const clientDelivers = await jobAction(api, client, job.id, 'deliver', { artifact_type: 'text', content: 'x' });
    expect(clientDelivers.status).toBe(403);
    await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'x' });
    const workerCompletes = await jobAction(api, worker, job.id, 'complete', { rating: 5 });
    expect(workerCompletes.status).toBe(403);
    expect((await jobAction(api, client, job.id, 'resolve', { worker_share_pct: 50, note: 'mine' })).status).toBe(403);
    expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body.status).toBe('delivered');
    expect((await api('GET', `/api/jobs/${job.id}`)).status).toBe(401);
  });

  it('answers bad bodies with 400 naming the field, and changes nothing', async () => {
    const service = await publishService(api, worker);
    const job = await hireService(api, client, service.id);
    await jobAction(api, worker, job.id, 'start');
    await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'x' });
    const bad = await jobAction(api, client, job.id, 'complete', { rating: 6 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details)).toEqual(['body.rating']);
    expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body.status).toBe('delivered');
  });
});
