import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { llmWorkSubject, uuidv7 } from '@agentmarket/contracts';
import {
  eventually,
  hireService,
  jobAction,
  type ApiClient,
  type FakeOpenAi,
  type TestAgent,
} from '@agentmarket/testing';
import { HOSTED_CONFIG, getJob, historyOf, settledJob, startHostedMarket, stopHostedMarket, type HostedMarket } from './executor-fixture.ts';

let fake: FakeOpenAi;
let api: ApiClient;
let db: pg.Client;
let nats: NatsConnection;
let owner: TestAgent;
let client: TestAgent;
let serviceId: string;

let market: HostedMarket | undefined;

beforeAll(async () => {
  market = await startHostedMarket({ HOSTED_MODELS: 'gpt-4o-mini:0.5:1.5' }, { owner: 'revising owner', client: 'revising client' });
  ({ fake, api, db, nats, owner, client, serviceId } = market);
});
afterAll(() => stopHostedMarket(market));
beforeEach(() => fake.reset());

/** Hires the hosted service; the executor's first answer is `content`. */
async function hireDelivered(content: string) {
  fake.enqueue({ kind: 'ok', content });
  const hired = await hireService(api, client, serviceId, { title: 'A haiku', input_data: { text: 'the sea at night' } });
  const job = await settledJob(api, client, hired.id);
  expect(job.status).toBe('delivered');
  return hired.id;
}

/** Waits until the job holds `count` deliverables and is delivered again. */
function deliveredWith(jobId: string, count: number) {
  return eventually(
    () => getJob(api, client, jobId),
    (job) => job.status !== 'revision_requested' && job.deliverables.length >= count,
  );
}

async function callsOf(jobId: string) {
  const { rows } = await db.query('select revision, attempt, outcome from executor.llm_calls where job_id = $1 order by revision, attempt', [jobId]);
  return rows;
}

/** Every work message taken and acknowledged (WORK is a work queue). */
async function workDrained() {
  const manager = await jetstreamManager(nats);
  await eventually(() => manager.streams.info('WORK'), (info) => info.state.messages === 0, 10_000, 50);
}

describe('a revision of a hosted job', () => {
  it('is done by the executor: the model gets the input, the previous deliverable and the feedback, and a second deliverable follows', async () => {
    const jobId = await hireDelivered('Waves fold into foam');
    fake.enqueue({ kind: 'ok', content: 'Moon pulls at the sea' });
    const revision = await jobAction(api, client, jobId, 'request-revision', { feedback: 'mention the moon' });
    expect(revision.status).toBe(200);

    const job = await deliveredWith(jobId, 2);
    expect(job.status).toBe('delivered');
    expect(job.revision_count).toBe(1);
    expect(job.deliverables.map((deliverable) => deliverable.content)).toEqual(['Waves fold into foam', 'Moon pulls at the sea']);
    expect(job.deliverables[1]?.artifact_metadata).toMatchObject({ model: HOSTED_CONFIG.model, attempts: 1 });

    // Exactly two calls: the hire's and the revision's, each its own first attempt.
    expect(fake.requests).toHaveLength(2);
    const prompt = fake.requests[1]?.messages.map((message) => message.content).join('\n') ?? '';
    expect(prompt).toContain('the sea at night');
    expect(prompt).toContain('Waves fold into foam');
    expect(prompt).toContain('mention the moon');
    expect(fake.requests[1]?.messages[0]).toEqual({ role: 'system', content: HOSTED_CONFIG.system_prompt });
    expect(await callsOf(jobId)).toEqual([
      { revision: 0, attempt: 1, outcome: 'ok' },
      { revision: 1, attempt: 1, outcome: 'ok' },
    ]);
    const history = await historyOf(api, client, jobId);
    expect(history.map((entry) => entry.event)).toEqual(['hire', 'start', 'deliver', 'request_revision', 'deliver']);
  });

  it('a revision item delivered again after its revision was delivered is acknowledged without a call or a delivery', async () => {
    const jobId = await hireDelivered('First draft');
    await jobAction(api, client, jobId, 'request-revision', { feedback: 'make it rhyme' });
    await deliveredWith(jobId, 2);
    const calls = fake.requests.length;

    const envelope = {
      id: uuidv7(),
      type: 'llm_work_requested',
      occurred_at: new Date().toISOString(),
      aggregate_id: jobId,
      aggregate_version: 5,
      actor: { type: 'system', id: null },
      data: {
        job_id: jobId,
        service_id: serviceId,
        worker_agent_id: owner.id,
        title: 'A haiku',
        input_data: { text: 'the sea at night' },
        revision: 1,
        feedback: 'make it rhyme',
        previous_deliverable: { version: 1, artifact_type: 'text', content: 'First draft' },
      },
    };
    await jetstream(nats).publish(llmWorkSubject(jobId), JSON.stringify(envelope));
    await workDrained();
    expect(fake.requests).toHaveLength(calls);
    expect((await getJob(api, client, jobId)).deliverables).toHaveLength(2);
    expect((await historyOf(api, client, jobId)).filter((entry) => entry.event === 'deliver')).toHaveLength(2);
  });

  it('delivers an answer the revision already received (a crash before its delivery) without calling the model again', async () => {
    const jobId = await hireDelivered('Draft before the crash');
    // The revision's call answered, then the replica died before delivering: its row is all that is left.
    await db.query(
      `insert into executor.llm_calls (job_id, revision, attempt, model, started_at, finished_at, outcome, status_code, prompt_tokens, completion_tokens,
         total_tokens, latency_ms, cost_usd, finish_reason, content, seller_agent_id)
       values ($1, 1, 1, 'gpt-4o-mini', now(), now(), 'ok', 200, 40, 10, 50, 12, 0.000035, 'stop', 'Answer paid for once', $2)`,
      [jobId, owner.id],
    );
    const calls = fake.requests.length;
    await jobAction(api, client, jobId, 'request-revision', { feedback: 'again' });

    const job = await deliveredWith(jobId, 2);
    expect(job.deliverables[1]?.content).toBe('Answer paid for once');
    expect(fake.requests).toHaveLength(calls);
    expect(await callsOf(jobId)).toEqual([
      { revision: 0, attempt: 1, outcome: 'ok' },
      { revision: 1, attempt: 1, outcome: 'ok' },
    ]);
  });
});
