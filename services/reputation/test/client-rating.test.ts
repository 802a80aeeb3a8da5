import { describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_KEY,
  aFundedClient,
  aRegisteredAgent,
  aService,
  aWorkerWithService,
  eventually,
  hireService,
  jobAction,
  useTestStack,
  waitUntilDrained,
  type TestAgent,
} from '@agentmarket/testing';

/**
 * Two-sided reputation: the worker of an ended job rates its client once,
 * the rating reaches the client's inbox, the activity log and the job's
 * history, and reputation turns it into the client's profile figures with
 * the worker score's formula. And the worker score counts distinct paying
 * counterparties, not ratings.
 */
const market = useTestStack();
const { api } = market;

async function deliveredJob(client: TestAgent, worker: TestAgent, serviceId: string) {
  const job = await hireService(api, client, serviceId);
  expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'done' })).status).toBe(200);
  return job;
}

async function completedJob(client: TestAgent, worker: TestAgent, serviceId: string, rating = 5) {
  const job = await deliveredJob(client, worker, serviceId);
  expect((await jobAction(api, client, job.id, 'complete', { rating })).status).toBe(200);
  return job;
}

const rateClient = (worker: TestAgent, jobId: string, body: unknown, headers: Record<string, string> = {}) =>
  api('POST', `/api/jobs/${jobId}/rate-client`, { key: worker.key, body, headers });
const profileOf = async (agent: TestAgent) => (await api('GET', `/api/agents/${agent.id}`)).body;

describe('rating the client', () => {
  it('lets the worker rate the client of a completed job once, and shows it on the client profile', async () => {
    const { worker, service } = await aWorkerWithService(api);
    const client = await aFundedClient(api);
    const stranger = await aRegisteredAgent(api);
    const job = await deliveredJob(client, worker, service.id);

    // Not ended yet: refused like any move the job's state does not allow.
    const early = await rateClient(worker, job.id, { rating: 4 });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('invalid_transition');

    expect((await jobAction(api, client, job.id, 'complete', { rating: 5 })).status).toBe(200);
    expect(await profileOf(client)).toMatchObject({ client_rating: null, client_jobs_rated: 0 });

    // Only the worker: the client is refused, a stranger does not see the job at all.
    expect((await rateClient(client, job.id, { rating: 1 })).status).toBe(403);
    expect((await rateClient(stranger, job.id, { rating: 1 })).status).toBe(404);
    expect((await rateClient(worker, job.id, { rating: 6 })).status).toBeGreaterThanOrEqual(400);

    const key = { 'idempotency-key': `rate-${job.id}` };
    const first = await rateClient(worker, job.id, { rating: 5, review: 'clear brief' }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ job_id: job.id, rating: 5, review: 'clear brief' });
    expect(typeof first.body.created_at).toBe('string');

    // A retry with the same key gets the first answer back; without a key, a second rating is a conflict.
    const retried = await rateClient(worker, job.id, { rating: 5, review: 'clear brief' }, key);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(first.body);
    const again = await rateClient(worker, job.id, { rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', details: { reason: 'already_rated' } });

    // One 5 from one paying worker: (3 × 3.5 + 5) / 4, as the worker score would be.
    const profile = await eventually(
      () => profileOf(client),
      (body) => body.client_jobs_rated === 1,
    );
    expect(profile).toMatchObject({ client_rating: '3.88', client_jobs_rated: 1 });

    const inbox = await eventually(
      () => api('GET', `/api/inbox?job_id=${job.id}`, { key: client.key }),
      (response) => response.body.messages.some((message: { message_type: string }) => message.message_type === 'client_rated'),
    );
    const notice = inbox.body.messages.find((message: { message_type: string }) => message.message_type === 'client_rated');
    expect(notice.content).toMatchObject({ job_id: job.id, rating: 5, review: 'clear brief' });
    const workerInbox = await api('GET', `/api/inbox?job_id=${job.id}`, { key: worker.key });
    expect(workerInbox.body.messages.map((message: { message_type: string }) => message.message_type)).not.toContain('client_rated');

    const activity = await eventually(
      () => api('GET', `/api/activity?job_id=${job.id}`),
      (response) => response.body.data.some((entry: { type: string }) => entry.type === 'client_rated'),
    );
    expect(activity.body.data.filter((entry: { type: string }) => entry.type === 'client_rated')).toHaveLength(1);

    const history = await api('GET', `/api/jobs/${job.id}/history`, { key: client.key });
    const rows = history.body.data as { event: string; from: string; to: string }[];
    expect(rows.filter((row) => row.event === 'rate_client')).toEqual([expect.objectContaining({ from: 'completed', to: 'completed' })]);
  });

  it("weighs a worker's ratings by distinct paying clients: many from one count as one, a refunded one's not at all", async () => {
    const { worker, service } = await aWorkerWithService(api, { price_usd: '1.00' });
    const loyal = await aFundedClient(api);
    for (let round = 0; round < 4; round++) await completedJob(loyal, worker, service.id, 5);
    // Four 5s from one client weigh like one: (3 × 3.5 + 5) / 4.
    const afterLoyal = await eventually(
      () => profileOf(worker),
      (body) => body.jobs_completed === 4,
    );
    expect(afterLoyal.reputation_score).toBe('3.88');

    // A client refunded through a dispute paid nothing: a failure on the worker's record, and no rating of its own.
    // (A free job cannot exist: a hire holds a positive price; job-outcome.spec.ts shows a free job's rating would not count.)
    const refunded = await aFundedClient(api);
    const disputed = await deliveredJob(refunded, worker, service.id);
    expect((await jobAction(api, refunded, disputed.id, 'dispute', { reason: 'not what I asked' })).status).toBe(200);
    const resolved = await api('POST', `/api/jobs/${disputed.id}/resolve`, { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { worker_share_pct: 0, note: 'refund' } });
    expect(resolved.status).toBe(200);
    const afterRefund = await eventually(
      () => profileOf(worker),
      (body) => body.success_rate !== 1,
    );
    expect(afterRefund).toMatchObject({ jobs_completed: 4, reputation_score: '3.88' });

    // A second paying client counts: (3 × 3.5 + 5 + 1) / 5.
    const other = await aFundedClient(api);
    await completedJob(other, worker, service.id, 1);
    const afterOther = await eventually(
      () => profileOf(worker),
      (body) => body.jobs_completed === 5,
    );
    expect(afterOther.reputation_score).toBe('3.30');
    await waitUntilDrained(market.stack);
  });

  it('gives the ratings one worker gave one client over many jobs a single weight', async () => {
    const { worker, service } = await aWorkerWithService(api);
    const client = await aFundedClient(api);
    const jobs = [await completedJob(client, worker, service.id), await completedJob(client, worker, service.id)];
    expect((await rateClient(worker, jobs[0]!.id, { rating: 1 })).status).toBe(201);
    expect((await rateClient(worker, jobs[1]!.id, { rating: 1 })).status).toBe(201);
    const profile = await eventually(
      () => profileOf(client),
      (body) => body.client_jobs_rated === 2,
    );
    // Two 1s from one worker weigh like one 1: (3 × 3.5 + 1) / 4.
    expect(profile.client_rating).toBe('2.88');
  });

  it("leaves a client's rating unmoved by a worker of the same owner", async () => {
    const owner = await aRegisteredAgent(api, { name: 'Fleet owner' });
    // Registered by the owner's agent: both children share its owner root.
    const child = async (name: string): Promise<TestAgent> => {
      const response = await api('POST', '/api/agents', { key: owner.key, body: { name, capabilities: ['testing'] } });
      expect(response.status).toBe(201);
      const agent = { id: response.body.agent_id as string, key: response.body.api_key as string };
      const credit = await api('POST', '/api/admin/credit', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { agent_id: agent.id, amount_usd: '50.00' } });
      expect(credit.status).toBe(201);
      return agent;
    };
    const worker = await child('Fleet worker');
    const buyer = await child('Fleet buyer');
    const service = await aService(api, worker);
    const job = await completedJob(buyer, worker, service.id);
    // Recorded and announced (the job's fact), but it moves no figure.
    expect((await rateClient(worker, job.id, { rating: 5 })).status).toBe(201);
    await waitUntilDrained(market.stack);
    expect(await profileOf(buyer)).toMatchObject({ client_rating: null, client_jobs_rated: 0 });

    // An outside worker's rating of the same client does count: the pipeline works.
    const outside = await aWorkerWithService(api);
    const counted = await completedJob(buyer, outside.worker, outside.service.id);
    expect((await rateClient(outside.worker, counted.id, { rating: 5 })).status).toBe(201);
    const profile = await eventually(
      () => profileOf(buyer),
      (body) => body.client_jobs_rated > 0,
    );
    expect(profile).toMatchObject({ client_rating: '3.88', client_jobs_rated: 1 });
  });

  it('lets the worker rate the client of a resolved job too', async () => {
    const { worker, service } = await aWorkerWithService(api);
    const client = await aFundedClient(api);
    const job = await deliveredJob(client, worker, service.id);
    expect((await jobAction(api, client, job.id, 'dispute', { reason: 'late' })).status).toBe(200);
    expect((await rateClient(worker, job.id, { rating: 2 })).status).toBe(409);
    const resolved = await api('POST', `/api/jobs/${job.id}/resolve`, { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { worker_share_pct: 60, note: 'split' } });
    expect(resolved.status).toBe(200);
    expect((await rateClient(worker, job.id, { rating: 2 })).status).toBe(201);
    const profile = await eventually(
      () => profileOf(client),
      (body) => body.client_jobs_rated === 1,
    );
    // (3 × 3.5 + 2) / 4.
    expect(profile.client_rating).toBe('3.13');
  });
});
