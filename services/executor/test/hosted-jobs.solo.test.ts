import { jetstreamManager, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SUBJECTS, executorStatusSchema, llmWorkSubject, okReply, replyEnvelopeSchema, uuidv7 } from '@agentmarket/contracts';
import {
  eventually,
  hireService,
  loggedOpsPort,
  waitUntilDrained,
  type ApiClient,
  type FakeOpenAi,
  type TestAgent,
  type TestStack,
} from '@agentmarket/testing';
import { HOSTED_CONFIG, availableUsd, historyOf, settledJob, startHostedMarket, stopHostedMarket, type HostedMarket } from './executor-fixture.ts';

const RETRY_BASE_MS = 200;
const TIMEOUT_MS = 1500;
const CIRCUIT_OPEN_MS = 1500;

let fake: FakeOpenAi;
let stack: TestStack;
let api: ApiClient;
let db: pg.Client;
let nats: NatsConnection;
let owner: TestAgent;
let client: TestAgent;
let serviceId: string;

let market: HostedMarket | undefined;

beforeAll(async () => {
  market = await startHostedMarket(
    {
      // Info level logs the ops port (for /metrics); deliveries log at debug, so this stays quiet.
      LOG_LEVEL: 'info',
      CIRCUIT_OPEN_MS: String(CIRCUIT_OPEN_MS),
      LLM_RETRY_BASE_MS: String(RETRY_BASE_MS),
      LLM_TIMEOUT_MS: String(TIMEOUT_MS),
      // A killed replica's message comes back after 2 s instead of a minute.
      LLM_WORK_ACK_WAIT_SECONDS: '2',
      HOSTED_MODELS: 'gpt-4o-mini:0.5:1.5',
    },
    { owner: 'hosted owner', client: 'hosted client' },
  );
  ({ fake, stack, api, db, nats, owner, client, serviceId } = market);
});
afterAll(() => stopHostedMarket(market));
beforeEach(() => fake.reset());

/** Hires the hosted service and waits until the executor has delivered or failed the job. */
async function hireAndSettle(timeoutMs?: number) {
  const hired = await hireService(api, client, serviceId, { title: 'A haiku', input_data: { text: 'the sea at night' } });
  return { id: hired.id, job: await settledJob(api, client, hired.id, timeoutMs) };
}

async function executorStatus() {
  const reply = replyEnvelopeSchema.parse((await nats.request(SUBJECTS.executor.status, '{}', { timeout: 2000 })).json());
  if (!reply.ok) throw new Error(`executor.status: ${reply.error.code}`);
  return executorStatusSchema.parse(reply.data);
}

const gaps = () => fake.requests.slice(1).map((request, index) => request.at - (fake.requests[index]?.at ?? 0));

describe('hosted jobs through the whole market', () => {
  it('normal run: started, answered and delivered with usage, latency and cost', async () => {
    fake.enqueue({ kind: 'ok', content: 'Dark water breathing', latencyMs: 50 });
    const { id, job } = await hireAndSettle();
    expect(job.status).toBe('delivered');
    expect(job.deliverables).toHaveLength(1);
    const [deliverable] = job.deliverables;
    expect(deliverable?.artifact_type).toBe('text');
    expect(deliverable?.content).toBe('Dark water breathing');
    const metadata = deliverable?.artifact_metadata as { prompt_tokens: number; completion_tokens: number; total_tokens: number; latency_ms: number; cost_usd: string };
    expect(metadata).toMatchObject({ model: expect.any(String), attempts: 1, finish_reason: 'stop' });
    expect(metadata.prompt_tokens).toBeGreaterThan(0);
    expect(metadata.completion_tokens).toBeGreaterThan(0);
    expect(metadata.total_tokens).toBe(metadata.prompt_tokens + metadata.completion_tokens);
    expect(metadata.latency_ms).toBeGreaterThanOrEqual(50);
    // 0.5 USD per 1k prompt tokens, 1.5 per 1k completion tokens, to the micro-dollar.
    const expectedMicro = Math.round((metadata.prompt_tokens * 0.5 + metadata.completion_tokens * 1.5) * 1000);
    expect(metadata.cost_usd).toBe((expectedMicro / 1e6).toFixed(6));

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.model).toBe(HOSTED_CONFIG.model);
    expect(request?.authorization).toBe('Bearer test');
    expect(request?.messages[0]).toEqual({ role: 'system', content: HOSTED_CONFIG.system_prompt });
    expect(request?.messages[1]?.content).toContain('A haiku');
    expect(request?.messages[1]?.content).toContain('the sea at night');

    const history = await historyOf(api, client, id);
    expect(history.map((entry) => entry.event)).toEqual(['hire', 'start', 'deliver']);
    const audit = await db.query(`select attempt, outcome, status_code, total_tokens, cost_usd::text from executor.llm_calls where job_id = $1`, [id]);
    expect(audit.rows).toEqual([{ attempt: 1, outcome: 'ok', status_code: 200, total_tokens: metadata.total_tokens, cost_usd: metadata.cost_usd }]);
  });

  it('a work item delivered again after its job was delivered (a crash before the ack) is acknowledged without a call', async () => {
    fake.enqueue({ kind: 'ok', content: 'Once only' });
    const { id, job } = await hireAndSettle();
    expect(job.status).toBe('delivered');
    const envelope = {
      id: uuidv7(),
      type: 'llm_work_requested',
      occurred_at: new Date().toISOString(),
      aggregate_id: id,
      aggregate_version: 1,
      actor: { type: 'system', id: null },
      data: { job_id: id, service_id: serviceId, worker_agent_id: owner.id, title: 'A haiku', input_data: { text: 'the sea at night' } },
    };
    await jetstream(nats).publish(llmWorkSubject(id), JSON.stringify(envelope));
    const manager = await jetstreamManager(nats);
    await eventually(() => manager.streams.info('WORK'), (info) => info.state.messages === 0, 10_000, 50);
    expect(fake.requests).toHaveLength(1);
    const history = await historyOf(api, client, id);
    expect(history.filter((entry) => entry.event === 'deliver')).toHaveLength(1);
  });

  it('429 with Retry-After: 3 → the second call comes no sooner than 3 s after the first', async () => {
    fake.enqueue({ kind: 'rate_limited', retryAfterSeconds: 3 }, { kind: 'ok', content: 'Patience' });
    const { job } = await hireAndSettle();
    expect(job.status).toBe('delivered');
    expect(fake.requests.map((request) => request.behaviour)).toEqual(['rate_limited', 'ok']);
    const [wait = 0] = gaps();
    console.log(`429 Retry-After: 3 → second call after ${wait} ms`);
    expect(wait).toBeGreaterThanOrEqual(3000);
    expect(job.deliverables[0]?.artifact_metadata).toMatchObject({ attempts: 2 });
  });

  it('500 twice, then success: delivered on the third call, after growing backoff', async () => {
    fake.enqueue({ kind: 'server_error' }, { kind: 'server_error', status: 503 }, { kind: 'ok', content: 'Third time' });
    const { job } = await hireAndSettle();
    expect(job.status).toBe('delivered');
    expect(job.deliverables[0]?.content).toBe('Third time');
    expect(job.deliverables[0]?.artifact_metadata).toMatchObject({ attempts: 3 });
    expect(fake.requests).toHaveLength(3);
    const [first = 0, second = 0] = gaps();
    // Retry 1 after base ±20 % (never below base), retry 2 after 2 × base ±20 %.
    expect(first).toBeGreaterThanOrEqual(RETRY_BASE_MS);
    expect(second).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS * 0.8);
  });

  it('a hanging provider → timeout → retry → delivered', async () => {
    fake.enqueue({ kind: 'hang' }, { kind: 'ok', content: 'Awake again' });
    const { job } = await hireAndSettle();
    expect(job.status).toBe('delivered');
    expect(job.deliverables[0]?.artifact_metadata).toMatchObject({ attempts: 2 });
    expect(fake.requests.map((request) => request.behaviour)).toEqual(['hang', 'ok']);
    expect(gaps()[0]).toBeGreaterThanOrEqual(TIMEOUT_MS + RETRY_BASE_MS);
  });

  it('a malformed body is retried', async () => {
    fake.enqueue({ kind: 'malformed' }, { kind: 'ok', content: 'Well formed' });
    const { job } = await hireAndSettle();
    expect(job.status).toBe('delivered');
    expect(fake.requests.map((request) => request.behaviour)).toEqual(['malformed', 'ok']);
  });

  it('400 → the job fails at once (one call) and the client gets its money back', async () => {
    const before = await availableUsd(api, client);
    fake.enqueue({ kind: 'bad_request' });
    const { id, job } = await hireAndSettle();
    expect(job.status).toBe('failed');
    const history = await historyOf(api, client, id);
    expect(history.map((entry) => entry.event)).toEqual(['hire', 'start', 'fail']);
    expect(String(history[2]?.details['reason'])).toMatch(/bad_request/);
    await eventually(() => availableUsd(api, client), (available) => available === before, 10_000, 50);
    // The work item is settled (no redelivery waits in WORK): no retry can come after this.
    await waitUntilDrained(stack);
    expect(fake.requests).toHaveLength(1);
  });

  it('insufficient_quota → the job fails at once', async () => {
    fake.enqueue({ kind: 'insufficient_quota' });
    const { job } = await hireAndSettle();
    expect(job.status).toBe('failed');
    expect(fake.requests.map((request) => request.behaviour)).toEqual(['insufficient_quota']);
  });

  it('a provider that keeps failing opens the circuit: work waits without calls, then one probe closes it', async () => {
    expect((await executorStatus()).circuit).toBe('closed');
    fake.setDefault({ kind: 'server_error' });
    const hired = await Promise.all(Array.from({ length: 5 }, (_, i) => hireService(api, client, serviceId, { input_data: { text: `outage ${i}` } })));
    await eventually(executorStatus, (status) => status.circuit === 'open', 10_000, 20);
    fake.setDefault({ kind: 'ok', content: 'Back again' });
    const jobs = await Promise.all(hired.map((job) => settledJob(api, client, job.id, 15_000)));
    expect(jobs.map((job) => job.status)).toEqual(Array(5).fill('delivered'));
    const failures = fake.requests.filter((request) => request.behaviour === 'server_error');
    const answers = fake.requests.filter((request) => request.behaviour === 'ok');
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(answers).toHaveLength(5);
    // Nothing reached the provider while the circuit was open: the probe came a whole open period after the last failure.
    const quiet = Math.min(...answers.map((request) => request.at)) - Math.max(...failures.map((request) => request.at));
    console.log(`circuit: ${failures.length} failures, then ${quiet} ms without a call, then the probe`);
    expect(quiet).toBeGreaterThanOrEqual(CIRCUIT_OPEN_MS);
    expect((await executorStatus()).circuit).toBe('closed');
  });

  it('5xx on every call → the retries run out (2, 4, 8, 16 × base…) and the job fails with the last error; the client is refunded', async () => {
    const before = await availableUsd(api, client);
    fake.setDefault({ kind: 'server_error', status: 502 });
    const { id, job } = await hireAndSettle(30_000);
    expect(job.status).toBe('failed');
    // The first call and LLM_MAX_RETRIES (5) retries, each retry later than the one before.
    expect(fake.requests).toHaveLength(6);
    gaps().forEach((gap, retry) => expect(gap).toBeGreaterThanOrEqual(Math.max(RETRY_BASE_MS, RETRY_BASE_MS * 2 ** retry * 0.8)));
    const history = await historyOf(api, client, id);
    expect(String(history.at(-1)?.details['reason'])).toMatch(/failed 6 times \(5 retries\).*server_error/);
    await eventually(() => availableUsd(api, client), (available) => available === before, 10_000, 50);
  });

  it('counts model calls by outcome and their latency in /metrics', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${loggedOpsPort(stack, 'executor')}/metrics`)).text();
    for (const outcome of ['ok', 'rate_limited', 'server_error', 'timeout', 'malformed', 'bad_request', 'insufficient_quota']) {
      expect(metrics).toMatch(new RegExp(`agentmarket_llm_calls_total\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9]`));
    }
    expect(metrics).toMatch(/agentmarket_llm_call_seconds_bucket\{[^}]*outcome="ok"/);
  });

  it('the executor killed mid-call → after its restart the job is delivered exactly once', async () => {
    fake.enqueue({ kind: 'hang' });
    const hired = await hireService(api, client, serviceId, { input_data: { text: 'crash' } });
    await eventually(async () => fake.requests.length, (count) => count === 1, 10_000, 20);
    const executor = stack.processes.get('executor');
    if (!executor) throw new Error('no executor process');
    await executor.kill();
    await executor.restart();
    const job = await settledJob(api, client, hired.id, 20_000);
    expect(job.status).toBe('delivered');
    expect(job.deliverables).toHaveLength(1);
    expect(job.deliverables[0]?.artifact_metadata).toMatchObject({ attempts: 2 });
    const history = await historyOf(api, client, hired.id);
    expect(history.map((entry) => entry.event)).toEqual(['hire', 'start', 'deliver']);
    // The redelivered work item is settled: no third call can come after this.
    await waitUntilDrained(stack);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('throughput', () => {
  const JOBS = 200;
  const LATENCY_MS = 500;
  const CONCURRENCY = 8;

  it(`${JOBS} hosted jobs at ${LATENCY_MS} ms of model latency reach ≥ 90 % of what ${CONCURRENCY} calls in flight allow`, async () => {
    const executor = stack.processes.get('executor');
    if (!executor) throw new Error('no executor process');
    fake.setDefault({ kind: 'ok', latencyMs: LATENCY_MS });
    // Hire everything first: while the executor is down, the test answers jobs' status question in its place.
    await executor.stop();
    const stand_in = nats.subscribe(SUBJECTS.executor.status, {
      queue: 'executor',
      callback: (_error, message) => {
        message.respond(JSON.stringify(okReply({ model_configured: true, circuit: 'closed', base_url: null })));
      },
    });
    const ids: string[] = [];
    for (let start = 0; start < JOBS; start += 20) {
      const batch = Array.from({ length: Math.min(20, JOBS - start) }, (_, i) => hireService(api, client, serviceId, { input_data: { text: `job ${start + i}` } }));
      ids.push(...(await Promise.all(batch)).map((job) => job.id));
    }
    stand_in.unsubscribe();
    await executor.restart();

    const delivered = async () =>
      (await db.query<{ n: number }>(`select count(*)::int as n from jobs.jobs where id = any($1) and status = 'delivered'`, [ids])).rows[0]?.n ?? 0;
    await eventually(delivered, (count) => count === JOBS, 60_000, 100);
    const { rows } = await db.query<{ last: Date }>(`select max(delivered_at) as last from jobs.jobs where id = any($1)`, [ids]);
    const firstCall = Math.min(...fake.requests.map((request) => request.at));
    const seconds = ((rows[0]?.last.getTime() ?? 0) - firstCall) / 1000;
    const throughput = JOBS / seconds;
    const bound = CONCURRENCY / (LATENCY_MS / 1000);
    console.log(
      `executor throughput: ${throughput.toFixed(1)} jobs/s over ${seconds.toFixed(2)} s; bound ${CONCURRENCY} / ${LATENCY_MS / 1000} s = ${bound} jobs/s → ${((throughput / bound) * 100).toFixed(1)} % (max calls in flight ${fake.maxConcurrent})`,
    );
    expect(fake.requests).toHaveLength(JOBS);
    expect(fake.maxConcurrent).toBe(CONCURRENCY);
    expect(throughput).toBeGreaterThanOrEqual(0.9 * bound);
  });
});
