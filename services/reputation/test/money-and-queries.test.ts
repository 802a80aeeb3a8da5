import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, reputationSchema, reputationStatsSchema, uuidv7 } from '@agentmarket/contracts';
import { completed, escrowEvent, jobEvent, newJob } from './outcome-events.ts';
import { startReputationFixture, waitUntil, type ReputationFixture } from './reputation-fixture.ts';

let fixture: ReputationFixture;

beforeAll(async () => {
  fixture = await startReputationFixture();
});
afterAll(async () => fixture?.stop());

describe('stats', () => {
  it('is empty before any rating', async () => {
    expect(reputationStatsSchema.parse(await fixture.stats())).toEqual({ average_rating: null, ratings_count: 0 });
  });

  it('averages every rating given, leaving out completions without one', async () => {
    const worker = uuidv7();
    await fixture.publish(completed(newJob({ worker_agent_id: worker }), 4));
    await fixture.publish(completed(newJob(), 5));
    await fixture.publish(completed(newJob({ worker_agent_id: worker }), null));
    await fixture.publish(completed(newJob(), 4));
    await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 2);
    await waitUntil(async () => (await fixture.stats()).ratings_count === 3);
    expect(await fixture.stats()).toEqual({ average_rating: 4.33, ratings_count: 3 });
  });
});

describe('money', () => {
  it('adds a release to the worker’s earnings and price plus fee to the client’s spending', async () => {
    const job = newJob();
    await fixture.publish(escrowEvent('escrow_held', job, { amount: 1000, worker_amount: 0, client_amount: 0, fee_amount: 0 }));
    await fixture.publish(escrowEvent('escrow_released', job, { amount: 1000, worker_amount: 950, client_amount: 0, fee_amount: 50 }));
    expect(await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.earned.length > 0)).toMatchObject({
      earned: [{ currency: 'USD', amount: 950 }],
      spent: [],
      jobs_completed: 0,
    });
    expect(await fixture.waitFor(job.client_agent_id, (reputation) => reputation.spent.length > 0)).toMatchObject({
      earned: [],
      spent: [{ currency: 'USD', amount: 1000 }],
    });
  });

  it('keeps currencies apart and charges a split client only what was not refunded', async () => {
    const agent = uuidv7();
    const asWorker = newJob({ worker_agent_id: agent });
    const asClient = newJob({ client_agent_id: agent });
    await fixture.publish(escrowEvent('escrow_released', asWorker, { amount: 2000, worker_amount: 1900, client_amount: 0, fee_amount: 100 }));
    await fixture.publish(escrowEvent('escrow_split', asWorker, { currency: 'SAT', amount: 10_000, worker_amount: 5700, client_amount: 4000, fee_amount: 300 }));
    await fixture.publish(escrowEvent('escrow_split', asClient, { currency: 'SAT', amount: 1000, worker_amount: 285, client_amount: 700, fee_amount: 15 }));
    await fixture.publish(escrowEvent('escrow_refunded', newJob({ client_agent_id: agent }), { amount: 500, worker_amount: 0, client_amount: 500, fee_amount: 0 }));
    // Every settlement applied (the refund changes no sum, only updated_at): the figures are final.
    await fixture.drained();
    const figures = await fixture.get(agent);
    expect(figures).toMatchObject({
      earned: [
        { currency: 'SAT', amount: 5700 },
        { currency: 'USD', amount: 1900 },
      ],
      spent: [{ currency: 'SAT', amount: 300 }],
    });
    // Under load several settlements share one transaction and one event: the last one carries the sum.
    const lastEvent = () => fixture.reputationEvents.filter((event) => event.aggregate_id === agent).at(-1);
    await waitUntil(() => lastEvent()?.data.updated_at === figures.updated_at);
    expect(reputationSchema.parse(lastEvent()?.data)).toEqual(figures);
  });

  it('credits the worker when the client is a person', async () => {
    const job = newJob();
    await fixture.publish(escrowEvent('escrow_released', job, { amount: 300, worker_amount: 285, client_amount: 0, fee_amount: 15 }, { agent: null, user: uuidv7() }));
    expect(await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.earned.length > 0)).toMatchObject({ earned: [{ currency: 'USD', amount: 285 }] });
  });

  it('applies a settlement delivered twice once', async () => {
    const job = newJob();
    const release = escrowEvent('escrow_released', job, { amount: 1000, worker_amount: 950, client_amount: 0, fee_amount: 50 });
    await fixture.publish(release);
    await fixture.publish(release, `${release.id}-again`);
    await fixture.publish(escrowEvent('escrow_released', newJob({ worker_agent_id: job.worker_agent_id, client_agent_id: uuidv7() }), { amount: 1, worker_amount: 1, client_amount: 0, fee_amount: 0 }));
    expect(await fixture.waitFor(job.worker_agent_id, (reputation) => (reputation.earned[0]?.amount ?? 0) > 950)).toMatchObject({ earned: [{ currency: 'USD', amount: 951 }] });
  });
});

describe('get', () => {
  it('answers an agent never seen with zeros and nulls', async () => {
    const agent = uuidv7();
    const reputation = reputationSchema.parse(await fixture.get(agent));
    expect(reputation).toMatchObject({
      agent_id: agent,
      reputation_score: '0.00',
      ratings_count: 0,
      jobs_completed: 0,
      jobs_failed: 0,
      success_rate: null,
      on_time_rate: null,
      jobs_hired: 0,
      earned: [],
      spent: [],
    });
  });

  it('shows one agent’s figures as worker and as client together', async () => {
    const agent = uuidv7();
    await fixture.publish(jobEvent('job_created', newJob({ client_agent_id: agent })));
    await fixture.publish(completed(newJob({ worker_agent_id: agent }), 5));
    expect(await fixture.waitFor(agent, (reputation) => reputation.jobs_hired === 1 && reputation.jobs_completed === 1)).toMatchObject({
      reputation_score: '3.88',
      success_rate: 1,
    });
  });

  it('refuses an agent id that is not a UUID', async () => {
    await expect(fixture.get('not-a-uuid')).rejects.toMatchObject({ code: 'validation_failed' } satisfies Partial<AppError>);
  });
});
