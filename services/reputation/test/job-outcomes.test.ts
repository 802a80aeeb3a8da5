import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMS, deadLetterSubject, reputationSchema, CONSUMERS, uuidv7 } from '@agentmarket/contracts';
import { completed, jobEvent, newJob } from './outcome-events.ts';
import { startReputationFixture, waitUntil, type ReputationFixture } from './reputation-fixture.ts';

let fixture: ReputationFixture;

beforeAll(async () => {
  fixture = await startReputationFixture();
});
afterAll(async () => fixture?.stop());

const DAY_MS = 24 * 60 * 60 * 1000;

describe('job outcomes', () => {
  it('gives a worker a first 5-star completion a score between the prior and 5, and the client a hire', async () => {
    const job = newJob();
    await fixture.publish(jobEvent('job_created', job));
    await fixture.publish(completed(job, 5));
    const worker = await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.jobs_completed === 1);
    // Defaults m = 3.5, C = 3: (3 · 3.5 + 5) / (3 + 1) = 3.875.
    expect(worker).toMatchObject({ reputation_score: '3.88', ratings_count: 1, jobs_failed: 0, success_rate: 1, on_time_rate: 1, jobs_hired: 0 });
    expect(Number(worker.reputation_score)).toBeGreaterThan(3.5);
    expect(Number(worker.reputation_score)).toBeLessThan(5);
    const client = await fixture.waitFor(job.client_agent_id, (reputation) => reputation.jobs_hired === 1);
    expect(client).toMatchObject({ reputation_score: '0.00', ratings_count: 0, jobs_completed: 0, success_rate: null, on_time_rate: null });
  });

  it('publishes reputation_updated with the figures, one per agent change, versioned per agent', async () => {
    const job = newJob();
    await fixture.publish(completed(job, 4));
    // Applied one at a time: events that queue up together share one transaction and one reputation_updated.
    await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.jobs_completed === 1);
    await fixture.publish(completed(newJob({ worker_agent_id: job.worker_agent_id }), 2));
    const figures = await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.jobs_completed === 2);
    await waitUntil(() => fixture.reputationEvents.filter((event) => event.aggregate_id === job.worker_agent_id).length === 2);
    const events = fixture.reputationEvents.filter((event) => event.aggregate_id === job.worker_agent_id);
    expect(events.map((event) => [event.type, event.aggregate_version])).toEqual([
      ['reputation_updated', 1],
      ['reputation_updated', 2],
    ]);
    expect(reputationSchema.parse(events[1]?.data)).toEqual(figures);
    expect(events[0]?.data).toMatchObject({ jobs_completed: 1, ratings_count: 1, reputation_score: '3.63' });
    // (10.5 + 4 + 2) / 5 = 3.3
    expect(figures).toMatchObject({ reputation_score: '3.30', ratings_count: 2 });
  });

  it('announces a change within the interval when the interval ends, with the figures as they then stand', async () => {
    const worker = uuidv7();
    const eventsOf = () => fixture.reputationEvents.filter((event) => event.aggregate_id === worker);
    await fixture.publish(completed(newJob({ worker_agent_id: worker }), 5));
    await waitUntil(() => eventsOf().length === 1);
    // Three more changes right after the first announcement: deferred, kept as a row, then announced together.
    for (const rating of [4, 3, 2]) await fixture.publish(completed(newJob({ worker_agent_id: worker }), rating));
    await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 4);
    const figures = await fixture.get(worker);
    await waitUntil(() => eventsOf().length === 2);
    const [first, second] = eventsOf();
    expect(first?.data).toMatchObject({ jobs_completed: 1 });
    expect(second!.aggregate_version).toBeGreaterThan(first!.aggregate_version);
    expect(reputationSchema.parse(second?.data)).toEqual(figures);
    // Paced from the first announcement: not sooner than the interval (1 s by default). The first event's occurred_at is
    // stamped a few milliseconds after the clock reading its turn is counted from, hence the margin.
    expect(Date.parse(second!.occurred_at) - Date.parse(first!.occurred_at)).toBeGreaterThanOrEqual(900);
    expect(await fixture.sql('select agent_id from reputation.announcements where agent_id = ?', [worker])).toEqual([]);
  });

  it('applies a burst in batches, and announces each agent at most once per interval, the last time with its final figures', async () => {
    const worker = uuidv7();
    const client = uuidv7();
    for (let i = 0; i < 40; i += 1) {
      const job = newJob({ worker_agent_id: worker, client_agent_id: client });
      await fixture.publish(jobEvent('job_created', job));
      await fixture.publish(completed(job, 5));
    }
    const workerFigures = await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 40);
    // One client's 40 ratings share one rater's weight: (3 · 3.5 + 5) / 4 = 3.875.
    expect(workerFigures).toMatchObject({ reputation_score: '3.88', ratings_count: 40 });
    const clientFigures = await fixture.waitFor(client, (reputation) => reputation.jobs_hired === 40);
    expect(clientFigures).toMatchObject({ jobs_completed: 0, ratings_count: 0 });
    for (const [agent, figures] of [[worker, workerFigures], [client, clientFigures]] as const) {
      const eventsOf = () => fixture.reputationEvents.filter((event) => event.aggregate_id === agent);
      await waitUntil(() => eventsOf().at(-1)?.data.updated_at === figures.updated_at);
      expect(reputationSchema.parse(eventsOf().at(-1)?.data)).toEqual(figures);
      const versions = eventsOf().map((event) => event.aggregate_version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
      // 40 changes in a burst of well under a second apart: a handful of announcements, not 40.
      expect(versions.length).toBeLessThan(10);
    }
  });

  it('moves success_rate with failures, expiries and resolutions', async () => {
    const worker = uuidv7();
    const job = () => newJob({ worker_agent_id: worker });
    await fixture.publish(completed(job(), 5));
    await fixture.publish(jobEvent('job_failed', job(), { reason: 'could not' }));
    await fixture.publish(jobEvent('job_expired', job()));
    expect(await fixture.waitFor(worker, (reputation) => reputation.jobs_failed === 2)).toMatchObject({ jobs_completed: 1, success_rate: 0.3333 });
    // A resolution from a 50 % worker share on counts as completed (without a rating), below as failed.
    await fixture.publish(jobEvent('job_resolved', job(), { worker_share_pct: 70, note: 'mostly done' }));
    await fixture.publish(jobEvent('job_resolved', job(), { worker_share_pct: 20, note: 'barely started' }));
    expect(await fixture.waitFor(worker, (reputation) => reputation.jobs_failed === 3)).toMatchObject({
      jobs_completed: 2,
      ratings_count: 1,
      success_rate: 0.4,
    });
  });

  it('records on-time and late deliveries against the estimate; no estimate counts as on time', async () => {
    const worker = uuidv7();
    const job = () => newJob({ worker_agent_id: worker });
    await fixture.publish(completed(job(), 5, { estimated_minutes: 30, deliveredAfterMinutes: 20 }));
    await fixture.publish(completed(job(), 3, { estimated_minutes: 30, deliveredAfterMinutes: 45 }));
    expect(await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 2)).toMatchObject({ on_time_rate: 0.5 });
    await fixture.publish(completed(job(), null, { estimated_minutes: null, deliveredAfterMinutes: 600 }));
    expect(await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 3)).toMatchObject({ on_time_rate: 0.6667, ratings_count: 2 });
  });

  it('applies an event delivered twice (same id, another Nats-Msg-Id) once', async () => {
    const job = newJob();
    const completion = completed(job, 4);
    // Back to back (the copies may share a batch), then once more after it was applied.
    await fixture.publish(completion);
    await fixture.publish(completion, `${completion.id}-again`);
    await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.jobs_completed === 1);
    await fixture.publish(completion, `${completion.id}-once-more`);
    // Events are applied in stream order: once this later one shows, every copy has been handled.
    await fixture.publish(jobEvent('job_failed', newJob({ worker_agent_id: job.worker_agent_id })));
    expect(await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.jobs_failed === 1)).toMatchObject({
      jobs_completed: 1,
      ratings_count: 1,
      success_rate: 0.5,
    });
    const count = async (query: string, params: unknown[]) => Number((await fixture.sql<{ n: string }>(query, params))[0]?.n);
    // The second change came within the announcement interval: it is announced when the interval ends.
    await waitUntil(async () => (await count("select count(*) as n from reputation.outbox where envelope->>'aggregate_id' = ?", [job.worker_agent_id])) === 2);
    expect(await count('select count(*) as n from reputation.announcements where agent_id = ?', [job.worker_agent_id])).toBe(0);
    expect(await count('select count(*) as n from reputation.inbox where event_id = ?', [completion.id])).toBe(1);
    expect(await count('select count(*) as n from reputation.ratings where job_id = ?', [job.job_id])).toBe(1);
  });

  it('weighs an old rating less than a fresh one', async () => {
    const worker = uuidv7();
    // 30 days: within the 31 days a consumer takes an event for new (an older one only comes back with a restore).
    const old = { ...completed(newJob({ worker_agent_id: worker }), 1), occurred_at: new Date(Date.now() - 30 * DAY_MS).toISOString() };
    await fixture.publish(old);
    await fixture.publish(completed(newJob({ worker_agent_id: worker }), 5));
    // The 1 is a third of a half-life old (weight 2^(-1/3) = 0.794): (10.5 + 0.794 + 5) / (3 + 0.794 + 1) = 3.399; at full weight 3.30.
    expect(await fixture.waitFor(worker, (reputation) => reputation.jobs_completed === 2)).toMatchObject({ reputation_score: '3.40', ratings_count: 2 });
  });

  it('changes nothing for the other job events and keeps no inbox row for them', async () => {
    const job = newJob();
    const started = jobEvent('job_started', job);
    await fixture.publish(started);
    await fixture.publish(jobEvent('job_delivered', job, { deliverable: { id: uuidv7(), version: 1, artifact_type: 'text' } }));
    await fixture.publish(jobEvent('job_cancelled', job, { reason: 'changed my mind' }));
    await fixture.publish(jobEvent('job_failed', job, { reason: 'sentinel' }));
    expect(await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.jobs_failed === 1)).toMatchObject({ jobs_completed: 0 });
    expect(await fixture.get(job.client_agent_id)).toMatchObject({ jobs_hired: 0, jobs_failed: 0 });
    expect(await fixture.sql('select event_id from reputation.inbox where event_id = ?', [started.id])).toEqual([]);
  });

  it('sends a malformed outcome to the dead letter stream and carries on', async () => {
    const job = newJob();
    const malformed = completed(job, 9);
    await fixture.publish(malformed);
    await fixture.publish(completed(newJob({ worker_agent_id: job.worker_agent_id }), 5));
    expect(await fixture.waitFor(job.worker_agent_id, (reputation) => reputation.jobs_completed === 1)).toMatchObject({ ratings_count: 1 });
    const subject = deadLetterSubject(CONSUMERS.reputation.jobOutcomes.durable);
    await waitUntil(async () => (await fixture.lastOnSubject(subject, STREAMS.deadLetter.name))?.id === malformed.id);
  });
});
