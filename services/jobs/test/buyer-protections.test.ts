import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SseTestClient,
  aFundedClient,
  aRegisteredAgent,
  aService,
  eventually,
  hireService,
  jobAction,
  useTestStack,
  waitUntilDrained,
  type TestAgent,
} from '@agentmarket/testing';

/**
 * The business rules that protect the other side of a job, through the
 * gateway on a whole market: the platform's windows (a buyer always has the
 * minimum to look at a delivery; accept windows are bounded), the delivery
 * deadline (a client can get its money back from a worker that never
 * delivers) and the expected price (nothing is held at a price the buyer
 * did not see).
 */
const MIN_AUTO_COMPLETE_SECONDS = 3600;
const MIN_ACCEPT_WINDOW_SECONDS = 600;
const MAX_ACCEPT_WINDOW_SECONDS = 7200;
// Short enough for a test to see a deadline pass; a service with estimated_minutes gets 3 × its estimate instead.
const DEADLINE_FLOOR_SECONDS = 2;

const market = useTestStack({
  // Money is counted exactly: no starter grant on top of the admin credits.
  env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' },
  envFor: {
    jobs: {
      JOB_MIN_AUTO_COMPLETE_SECONDS: String(MIN_AUTO_COMPLETE_SECONDS),
      JOB_MIN_ACCEPT_WINDOW_SECONDS: String(MIN_ACCEPT_WINDOW_SECONDS),
      JOB_MAX_ACCEPT_WINDOW_SECONDS: String(MAX_ACCEPT_WINDOW_SECONDS),
      JOB_DELIVERY_DEADLINE_FLOOR_SECONDS: String(DEADLINE_FLOOR_SECONDS),
      TIMER_POLL_MS: '100',
    },
  },
});
const { api } = market;

let worker: TestAgent;
let feed: SseTestClient | undefined;

beforeAll(async () => {
  worker = await aRegisteredAgent(api);
});
afterAll(() => feed?.close());

const seconds = (from: unknown, to: unknown) => (Date.parse(String(to)) - Date.parse(String(from))) / 1000;
const usdWallet = async (agent: TestAgent) => {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  return wallet.body.balances.find((balance: { currency: string }) => balance.currency === 'USD') ?? { available: '0.00', held: '0.00' };
};
const deliver = (jobId: string) => jobAction(api, worker, jobId, 'deliver', { artifact_type: 'text', content: 'done' });

describe('the platform windows', () => {
  it('gives a job of a service asking for a 1 s auto-complete the platform minimum instead', async () => {
    const client = await aFundedClient(api);
    const service = await aService(api, worker, { auto_complete_seconds: 1 });
    const job = await hireService(api, client, service.id);
    expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
    const delivered = await deliver(job.id);
    expect(delivered.status).toBe(200);
    expect(seconds(delivered.body.delivered_at, delivered.body.auto_complete_at)).toBe(MIN_AUTO_COMPLETE_SECONDS);
    // A witness started now has its delivery deadline (the 2 s floor) due after the service's 1 s would have
    // ended: once the timer loop has announced it, it has also passed the moment the 1 s window would have fired.
    const witness = await hireService(api, client, (await aService(api, worker)).id);
    expect((await jobAction(api, worker, witness.id, 'start')).status).toBe(200);
    await eventually(
      async () => (await api('GET', `/api/jobs/${witness.id}/history`, { key: client.key })).body.data as { event: string }[],
      (history) => history.some((entry) => entry.event === 'deadline_passed'),
    );
    expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body).toMatchObject({ status: 'delivered', completed_at: null });
  });

  it('raises an accept window below the platform minimum and lowers one above the maximum', async () => {
    const client = await aFundedClient(api);
    const hasty = await aService(api, worker, { accept_window_seconds: 10 });
    const patient = await aService(api, worker, { accept_window_seconds: 30 * 24 * 3600 });
    const short = await hireService(api, client, hasty.id);
    const long = await hireService(api, client, patient.id);
    expect(seconds(short.created_at, short.accept_deadline)).toBeCloseTo(MIN_ACCEPT_WINDOW_SECONDS, 0);
    expect(seconds(long.created_at, long.accept_deadline)).toBeCloseTo(MAX_ACCEPT_WINDOW_SECONDS, 0);
  });
});

describe('the delivery deadline', () => {
  it('announces a started job past its deadline once: one event, one inbox message to the client, one activity row, one SSE event', async () => {
    const client = await aFundedClient(api);
    const service = await aService(api, worker);
    feed = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events?types=job_deadline_passed`);
    const job = await hireService(api, client, service.id);
    const started = await jobAction(api, worker, job.id, 'start');
    expect(started.status).toBe(200);
    expect(seconds(started.body.started_at, started.body.delivery_deadline)).toBe(DEADLINE_FLOOR_SECONDS);

    const deadlineMessages = async () =>
      ((await api('GET', `/api/inbox?job_id=${job.id}`, { key: client.key })).body.messages as { message_type: string; content: Record<string, unknown> }[]).filter(
        (message) => message.message_type === 'job_deadline_passed',
      );
    await eventually(deadlineMessages, (messages) => messages.length > 0);
    await feed.waitFor((events) => events.some((event) => event.data.aggregate_id === job.id));
    await waitUntilDrained(market.stack);

    const messages = await deadlineMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.content).toMatchObject({ job_id: job.id, status: 'in_progress', delivery_deadline: started.body.delivery_deadline });
    expect(String(messages[0]?.content.message)).toMatch(/cancel it now for a full refund/);
    const workerInbox = await api('GET', `/api/inbox?job_id=${job.id}`, { key: worker.key });
    expect(workerInbox.body.messages.filter((message: { message_type: string }) => message.message_type === 'job_deadline_passed')).toHaveLength(0);
    const activity = await api('GET', `/api/activity?job_id=${job.id}&type=job_deadline_passed`);
    expect(activity.body.data).toHaveLength(1);
    expect(feed.events.filter((event) => event.data.aggregate_id === job.id)).toHaveLength(1);
    const history = (await api('GET', `/api/jobs/${job.id}/history`, { key: client.key })).body.data as { event: string; from: string; to: string }[];
    expect(history.filter((entry) => entry.event === 'deadline_passed')).toEqual([expect.objectContaining({ from: 'in_progress', to: 'in_progress' })]);
    expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body.status).toBe('in_progress');
  });

  it('lets the client cancel a job past its delivery deadline and refunds the client in full', async () => {
    const client = await aFundedClient(api, { usd: '50.00' });
    const service = await aService(api, worker, { price_usd: '12.50' });
    const job = await hireService(api, client, service.id);
    expect(await usdWallet(client)).toMatchObject({ available: '37.50', held: '12.50' });
    const started = await jobAction(api, worker, job.id, 'start');
    await eventually(
      () => Promise.resolve(Date.now()),
      (now) => now > Date.parse(started.body.delivery_deadline),
    );

    const cancelled = await jobAction(api, client, job.id, 'cancel', { reason: 'never delivered' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', delivery_deadline: null });
    await eventually(
      () => usdWallet(client),
      (wallet) => wallet.held === '0.00',
    );
    expect(await usdWallet(client)).toMatchObject({ available: '50.00', held: '0.00' });
    expect(await usdWallet(worker)).toMatchObject({ available: '0.00' });
  });

  it('refuses the client cancel of a started job before its delivery deadline with 409 invalid_transition and the deadline', async () => {
    const client = await aFundedClient(api);
    // 60 minutes estimated × the default factor 3: the deadline is three hours away.
    const service = await aService(api, worker, { estimated_minutes: 60 });
    const job = await hireService(api, client, service.id);
    const started = await jobAction(api, worker, job.id, 'start');
    expect(seconds(started.body.started_at, started.body.delivery_deadline)).toBe(3 * 60 * 60);

    const refused = await jobAction(api, client, job.id, 'cancel', {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'in_progress', event: 'cancel', reason: 'delivery_deadline_not_passed', delivery_deadline: started.body.delivery_deadline },
    });
    expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body.status).toBe('in_progress');
    expect(await usdWallet(client)).toMatchObject({ held: '10.00' });
  });

  it('starts a new deadline at each revision request and clears it at delivery', async () => {
    const client = await aFundedClient(api);
    const service = await aService(api, worker, { estimated_minutes: 60 });
    const job = await hireService(api, client, service.id);
    await jobAction(api, worker, job.id, 'start');
    const delivered = await deliver(job.id);
    expect(delivered.body.delivery_deadline).toBeNull();
    const revising = await jobAction(api, client, job.id, 'request-revision', { feedback: 'more' });
    expect(revising.status).toBe(200);
    expect(seconds(revising.body.updated_at, revising.body.delivery_deadline)).toBe(3 * 60 * 60);
  });
});

describe('expected_price on hire', () => {
  it('refuses a hire whose price changed between the look and the hire with 409 price_changed, holding nothing and creating no job', async () => {
    const client = await aFundedClient(api, { usd: '40.00' });
    const service = await aService(api, worker, { price_usd: '10.00' });
    const looked = (await api('GET', `/api/services/${service.id}`)).body;
    expect((await api('PATCH', `/api/services/${service.id}`, { key: worker.key, body: { price_usd: '15.00' } })).status).toBe(200);

    const refused = await api('POST', '/api/jobs', {
      key: client.key,
      body: { service_id: service.id, input_data: { text: 'hi' }, expected_price: { price_usd: looked.price_usd } },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'price_changed', details: { current: { currency: 'USD', price_usd: '15.00', price_sats: null } } });
    const otherCurrency = await api('POST', '/api/jobs', {
      key: client.key,
      body: { service_id: service.id, input_data: { text: 'hi' }, expected_price: { price_sats: 1500 } },
    });
    expect(otherCurrency.body.error).toMatchObject({ code: 'price_changed', details: { current: { currency: 'USD', price_usd: '15.00' } } });
    expect(await usdWallet(client)).toMatchObject({ available: '40.00', held: '0.00' });
    expect((await api('GET', '/api/jobs?role=client', { key: client.key })).body.data).toHaveLength(0);
  });

  it('hires at the expected price when it is still the current one', async () => {
    const client = await aFundedClient(api);
    const service = await aService(api, worker, { price_usd: '7.25' });
    const hired = await api('POST', '/api/jobs', {
      key: client.key,
      body: { service_id: service.id, input_data: { text: 'hi' }, expected_price: { price_usd: '7.25' } },
    });
    expect(hired.status).toBe(201);
    expect(hired.body).toMatchObject({ status: 'pending', price_usd: '7.25' });
  });

  it('rejects an expected_price naming both currencies or none as a validation error', async () => {
    const client = await aFundedClient(api);
    const service = await aService(api, worker);
    for (const expected_price of [{ price_usd: '10.00', price_sats: 5 }, {}]) {
      const response = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'hi' }, expected_price } });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
  });
});
