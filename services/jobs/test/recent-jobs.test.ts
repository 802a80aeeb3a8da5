import { beforeAll, describe, expect, it } from 'vitest';
import { hireService, jobAction, publishService, registerAgent, useTestStack, type TestAgent } from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;
let client: TestAgent;
let worker: TestAgent;

beforeAll(async () => {
  // Each replica keeps copies of the jobs it wrote last; requests go to either, so copies fall behind all the time.
  await market.stack.startReplica('jobs');
  [client, worker] = await Promise.all([registerAgent(api, 'Copies client'), registerAgent(api, 'Copies worker')]);
});

/** Every step of a job with a revision, alternating between its two parties; each one must be accepted by whichever replica takes it. */
const STEPS: { by: 'worker' | 'client'; action: string; body?: unknown; status: string }[] = [
  { by: 'worker', action: 'start', status: 'in_progress' },
  { by: 'worker', action: 'deliver', body: { artifact_type: 'text', content: 'first' }, status: 'delivered' },
  { by: 'client', action: 'request-revision', body: { feedback: 'shorter' }, status: 'revision_requested' },
  { by: 'worker', action: 'deliver', body: { artifact_type: 'text', content: 'second' }, status: 'delivered' },
  { by: 'client', action: 'complete', body: { rating: 5 }, status: 'completed' },
];

describe('jobs kept by two replicas', () => {
  it('never refuses a step the job allows, and writes each step once, however stale a replica’s copy', async () => {
    const service = await publishService(api, worker, { name: 'revised twice', price_usd: '1.00', max_concurrent: 100, max_revisions: 2 });
    const jobs = await Promise.all(Array.from({ length: 12 }, () => hireService(api, client, service.id)));
    await Promise.all(
      jobs.map(async (job) => {
        for (const step of STEPS) {
          const response = await jobAction(api, step.by === 'worker' ? worker : client, job.id, step.action, step.body);
          expect(response.status, `${step.action} on ${job.id}: ${JSON.stringify(response.body)}`).toBe(200);
          expect(response.body.status).toBe(step.status);
        }
      }),
    );
    for (const job of jobs) {
      const view = await api('GET', `/api/jobs/${job.id}`, { key: client.key });
      expect(view.body).toMatchObject({ status: 'completed', revision_count: 1, rating: 5 });
      expect(view.body.deliverables.map((deliverable: { content: unknown }) => deliverable.content)).toEqual(['first', 'second']);
      const history = (await api('GET', `/api/jobs/${job.id}/history`, { key: client.key })).body.data as { event: string }[];
      expect(history.map((entry) => entry.event)).toEqual(['hire', 'start', 'deliver', 'request_revision', 'deliver', 'complete']);
    }
    // A step the job does not allow is still refused, by either replica.
    const refused = await jobAction(api, worker, jobs[0]!.id, 'start');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('invalid_transition');
  });
});
