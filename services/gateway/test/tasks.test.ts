import { beforeAll, describe, expect, it } from 'vitest';
import {
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

beforeAll(async () => {
  client = await registerAgent(api, 'Task poster');
});

const research = (overrides: Record<string, unknown> = {}) => ({
  required_inputs: [],
  capabilities_required: ['research'],
  ...overrides,
});

/** One finished job with `rating` for `worker`, so that its reputation is known. */
async function earnRating(worker: TestAgent, rating: number) {
  const rater = await registerAgent(api, `rater for ${worker.id.slice(-4)}`);
  const service = await publishService(api, worker, { name: 'warm-up', capabilities_required: ['warmup'] });
  const job = await hireService(api, rater, service.id);
  await jobAction(api, worker, job.id, 'start');
  await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'x' });
  await jobAction(api, rater, job.id, 'complete', { rating });
  // The coordinator scores with identity's stored figures: wait for those (the private profile is read from identity),
  // not for the public profile, which the gateway may already show from the reputation announcement itself.
  await eventually(() => api('GET', '/api/agents/me', { key: worker.key }), (response) => response.body.jobs_completed === 1);
}

describe('the coordinator', () => {
  it('hires the better-reputed, less-loaded, in-budget agent and returns the scored candidates', async () => {
    const [good, poor, busy, pricey] = await Promise.all(['Good', 'Poor', 'Busy', 'Pricey'].map((name) => registerAgent(api, `${name} researcher`)));
    if (!good || !poor || !busy || !pricey) throw new Error('agents missing');
    await Promise.all([earnRating(good, 5), earnRating(poor, 1), earnRating(busy, 5)]);
    const goodService = await publishService(api, good, research({ name: 'Good research', price_usd: '10.00' }));
    await publishService(api, poor, research({ name: 'Poor research', price_usd: '10.00' }));
    const busyService = await publishService(api, busy, research({ name: 'Busy research', price_usd: '10.00', max_concurrent: 4 }));
    await publishService(api, pricey, research({ name: 'Pricey research', price_usd: '50.00' }));
    // The busy agent is 3/4 loaded: load counts the jobs it has started, not pending hires.
    for (let i = 0; i < 3; i++) {
      const busyJob = await hireService(api, client, busyService.id, { input_data: {} });
      expect((await jobAction(api, busy, busyJob.id, 'start')).status).toBe(200);
    }

    const response = await api('POST', '/api/tasks', {
      key: client.key,
      body: { title: 'Survey the literature', description: 'Find 10 papers', capabilities_required: ['research'], complexity: 4, budget_usd: '20.00' },
    });
    expect(response.status).toBe(201);
    const { assignment, job, task_id } = response.body;
    expect(assignment.agent_id).toBe(good.id);
    expect(assignment.service_id).toBe(goodService.id);
    expect(job).toMatchObject({ status: 'pending', worker_agent_id: good.id, client_agent_id: client.id, price_usd: '10.00' });
    const ranked = assignment.candidates.map((candidate: { agent_id: string }) => candidate.agent_id);
    expect(ranked).not.toContain(pricey.id);
    expect(ranked.indexOf(good.id)).toBe(0);
    const [first, second] = assignment.candidates;
    expect(first.score).toBeGreaterThan(second.score);
    expect(first.breakdown.load).toBe(1);
    expect(assignment.candidates.find((c: { agent_id: string }) => c.agent_id === busy.id).breakdown.load).toBeCloseTo(0.25, 5);
    const task = await api('GET', `/api/tasks/${task_id}`, { key: client.key });
    expect(task.body).toMatchObject({ status: 'assigned', attempts: [{ job_id: job.id, agent_id: good.id }] });
    expect((await api('GET', `/api/tasks/${task_id}`, { key: good.key })).status).toBe(404);
  });

  it('breaks a tie deterministically: the same price and record → the older service', async () => {
    const [older, newer] = await Promise.all([registerAgent(api, 'Twin one'), registerAgent(api, 'Twin two')]);
    if (!older || !newer) throw new Error('agents missing');
    const first = await publishService(api, older, research({ name: 'Twin A', capabilities_required: ['translation'], price_usd: '5.00' }));
    await publishService(api, newer, research({ name: 'Twin B', capabilities_required: ['translation'], price_usd: '5.00' }));
    const body = { title: 'Translate', description: 'fr → en', capabilities_required: ['translation'], complexity: 2, budget_usd: '5.00' };
    const { assignment } = (await api('POST', '/api/tasks', { key: client.key, body })).body;
    expect(assignment.candidates).toHaveLength(2);
    expect(assignment.candidates[0].score).toBe(assignment.candidates[1].score);
    expect(assignment.service_id).toBe(first.id);
  });

  it('moves the task to the next candidate when the chosen worker does not start in time, and that worker’s record suffers', async () => {
    const [slow, next] = await Promise.all([registerAgent(api, 'Slow starter'), registerAgent(api, 'Next in line')]);
    if (!slow || !next) throw new Error('agents missing');
    await earnRating(slow, 5);
    await publishService(api, slow, research({ name: 'Slow', capabilities_required: ['editing'], price_usd: '4.00', accept_window_seconds: 1 }));
    await publishService(api, next, research({ name: 'Next', capabilities_required: ['editing'], price_usd: '4.00' }));
    const created = await api('POST', '/api/tasks', {
      key: client.key,
      body: { title: 'Edit my essay', description: '2 pages', capabilities_required: ['editing'], complexity: 3, budget_usd: '6.00' },
    });
    expect(created.body.assignment.agent_id).toBe(slow.id);
    const moved = await eventually(
      () => api('GET', `/api/tasks/${created.body.task_id}`, { key: client.key }),
      (response) => response.body.attempts?.length === 2,
      15_000,
      200,
    );
    expect(moved.body.assignment.agent_id).toBe(next.id);
    expect(moved.body.job).toMatchObject({ worker_agent_id: next.id, status: 'pending' });
    expect((await api('GET', `/api/jobs/${created.body.job.id}`, { key: client.key })).body.status).toBe('expired');
    const record = await eventually(() => api('GET', `/api/agents/${slow.id}`), (response) => response.body.success_rate !== null && response.body.success_rate < 1);
    expect(record.body.success_rate).toBe(0.5);
  });

  it('422 no_candidate with the reason when nothing fits', async () => {
    const response = await api('POST', '/api/tasks', {
      key: client.key,
      body: { title: 'Impossible', description: 'x', capabilities_required: ['time-travel'], complexity: 10, budget_usd: '1.00' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('no_candidate');
    expect(response.body.error.details.reason).toContain('time-travel');
  });
});
