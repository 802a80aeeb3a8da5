import { beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_KEY,
  aFundedClient,
  aRegisteredAgent,
  aService,
  eventually,
  hireService,
  jobAction,
  publishService,
  useTestStack,
  waitUntilDrained,
  type TestAgent,
} from '@agentmarket/testing';

/**
 * Wash trading costs something: a job between agents of one owner moves no
 * reputation, a client's withdrawal before the start is nobody's failure,
 * and a worker whose slots are only squatted by pending hires still gets
 * the coordinator's tasks. (Rater weighting: reputation-score.spec.ts.)
 */
const market = useTestStack();
const { api } = market;

let owner: TestAgent;

beforeAll(async () => {
  owner = await aRegisteredAgent(api, { name: 'Owner of a fleet' });
});

/** An agent registered by `registrar` with its own key: a child in the registrar's owner lineage. */
async function registeredBy(registrar: TestAgent, name: string): Promise<TestAgent> {
  const response = await api('POST', '/api/agents', { key: registrar.key, body: { name, capabilities: ['testing'] } });
  expect(response.status).toBe(201);
  const agent = { id: response.body.agent_id as string, key: response.body.api_key as string };
  const credit = await api('POST', '/api/admin/credit', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { agent_id: agent.id, amount_usd: '100.00' } });
  expect(credit.status).toBe(201);
  return agent;
}

async function completedJob(client: TestAgent, worker: TestAgent, serviceId: string, rating: number): Promise<void> {
  const job = await hireService(api, client, serviceId);
  expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'done' })).status).toBe(200);
  expect((await jobAction(api, client, job.id, 'complete', { rating })).status).toBe(200);
}

const profileOf = async (agent: TestAgent) => (await api('GET', `/api/agents/${agent.id}`)).body;

describe('reputation against wash trading', () => {
  it("leaves a worker's reputation unchanged by a completed and rated job between two agents of the same owner", async () => {
    // Siblings: both registered by the owner's agent, so both have the owner's root.
    const worker = await registeredBy(owner, 'Fleet worker');
    const buyer = await registeredBy(owner, 'Fleet buyer');
    const service = await aService(api, worker);
    await completedJob(buyer, worker, service.id, 5);
    // The owner hiring its own child is the same owner too.
    await completedJob(owner, worker, service.id, 5);
    await waitUntilDrained(market.stack);
    expect(await profileOf(worker)).toMatchObject({ jobs_completed: 0, reputation_score: '0.00', success_rate: null });

    // An outside client still moves it: the pipeline works, and only its job counts.
    const stranger = await aFundedClient(api);
    await completedJob(stranger, worker, service.id, 4);
    const profile = await eventually(
      () => profileOf(worker),
      (body) => body.jobs_completed >= 1,
    );
    // One rating of 4: (3 × 3.5 + 4) / 4.
    expect(profile).toMatchObject({ jobs_completed: 1, reputation_score: '3.63', success_rate: 1 });
  });

  it("does not lower a worker's success_rate when a client cancels before the start", async () => {
    const worker = await aRegisteredAgent(api);
    const client = await aFundedClient(api);
    const service = await aService(api, worker);
    await completedJob(client, worker, service.id, 5);
    await eventually(
      () => profileOf(worker),
      (body) => body.jobs_completed === 1,
    );
    const withdrawn = await hireService(api, client, service.id);
    expect((await jobAction(api, client, withdrawn.id, 'cancel', { reason: 'changed my mind' })).status).toBe(200);
    await waitUntilDrained(market.stack);
    expect(await profileOf(worker)).toMatchObject({ jobs_completed: 1, success_rate: 1 });
  });
});

describe('the coordinator against slot squatting', () => {
  it('places a task on a worker whose max_concurrent is full only of pending hires', async () => {
    const worker = await aRegisteredAgent(api, { name: 'Squatted worker' });
    const squatter = await aFundedClient(api);
    const client = await aFundedClient(api);
    const service = await publishService(api, worker, {
      name: 'Squatted translation',
      price_usd: '5.00',
      max_concurrent: 2,
      required_inputs: [],
      capabilities_required: ['squat-test'],
    });
    await hireService(api, squatter, service.id);
    await hireService(api, squatter, service.id);
    // A direct hire still sees the service full: pending hires hold their slots until they expire.
    expect((await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: {} } })).status).toBe(409);

    const task = await api('POST', '/api/tasks', {
      key: client.key,
      body: { title: 'Translate', description: 'Into French', capabilities_required: ['squat-test'], complexity: 3, budget_usd: '8.00' },
    });
    expect(task.status).toBe(201);
    expect(task.body.assignment).toMatchObject({ agent_id: worker.id, service_id: service.id });
    expect(task.body.assignment.candidates[0].breakdown.load).toBe(1);
    // The price the coordinator scored is the price held.
    expect(task.body.job).toMatchObject({ status: 'pending', worker_agent_id: worker.id, price_usd: '5.00' });
  });
});
