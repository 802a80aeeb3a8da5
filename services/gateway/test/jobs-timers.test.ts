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

const market = useTestStack({ envFor: { jobs: { TIMER_POLL_MS: '50', TIMER_BATCH_SIZE: '5' } } });
const { api } = market;
let client: TestAgent;
let worker: TestAgent;

beforeAll(async () => {
  // Two jobs replicas poll the same timers table.
  await market.stack.startReplica('jobs');
  [client, worker] = await Promise.all([registerAgent(api, 'Timer client'), registerAgent(api, 'Timer worker')]);
});

const historyOf = async (jobId: string) =>
  (await api('GET', `/api/jobs/${jobId}/history`, { key: client.key })).body.data as { event: string; actor: { type: string } }[];

describe('timers under two jobs replicas', () => {
  it('expire unstarted jobs and auto-complete unanswered deliveries exactly once each', async () => {
    const expiring = await publishService(api, worker, { name: 'slow to start', accept_window_seconds: 1, max_concurrent: 100 });
    const completing = await publishService(api, worker, { name: 'quiet client', auto_complete_seconds: 1, max_concurrent: 100 });
    const expiringJobs = await Promise.all(Array.from({ length: 30 }, () => hireService(api, client, expiring.id)));
    const deliveredJobs = await Promise.all(Array.from({ length: 10 }, () => hireService(api, client, completing.id)));
    for (const job of deliveredJobs) {
      expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
      expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'ok' })).status).toBe(200);
    }
    // One job is started in time: its timer must not fire.
    const startedInTime = await hireService(api, client, expiring.id);
    expect((await jobAction(api, worker, startedInTime.id, 'start')).status).toBe(200);

    const statusOf = async (jobId: string) => (await api('GET', `/api/jobs/${jobId}`, { key: client.key })).body.status;
    await eventually(
      async () => Promise.all([...expiringJobs, ...deliveredJobs].map((job) => statusOf(job.id))),
      (statuses) => statuses.every((status) => status === 'expired' || status === 'completed'),
      20_000,
      200,
    );
    for (const job of expiringJobs) {
      const history = await historyOf(job.id);
      expect(history.filter((t) => t.event === 'expire')).toHaveLength(1);
      expect(history.at(-1)?.actor.type).toBe('system');
    }
    for (const job of deliveredJobs) {
      const history = await historyOf(job.id);
      expect(history.filter((t) => t.event === 'auto_complete')).toHaveLength(1);
      expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body).toMatchObject({ status: 'completed', rating: null });
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await statusOf(startedInTime.id)).toBe('in_progress');

    // Each expiry told the client once; each auto-completion told the worker once.
    const expiredMessages = await eventually(
      () => api('GET', '/api/inbox?limit=100', { key: client.key }),
      (response) => response.body.messages.filter((m: { message_type: string }) => m.message_type === 'job_expired').length >= 30,
    );
    expect(expiredMessages.body.messages.filter((m: { message_type: string }) => m.message_type === 'job_expired')).toHaveLength(30);
  });
});
