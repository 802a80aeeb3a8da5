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
let sentinelClient: TestAgent;

beforeAll(async () => {
  // Two jobs replicas poll the same timers table.
  await market.stack.startReplica('jobs');
  [client, worker, sentinelClient] = await Promise.all([
    registerAgent(api, 'Timer client'),
    registerAgent(api, 'Timer worker'),
    registerAgent(api, 'Sentinel client'),
  ]);
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
    // Hired after it with the same window and never started: once this one has expired, the timer polls have gone
    // past startedInTime's deadline. Another client's, so that the client's inbox counts below stay the test's own.
    const sentinel = await hireService(api, sentinelClient, expiring.id);

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
    const sentinelStatus = async () => (await api('GET', `/api/jobs/${sentinel.id}`, { key: sentinelClient.key })).body.status;
    await eventually(sentinelStatus, (status) => status === 'expired', 20_000, 200);
    expect(await statusOf(startedInTime.id)).toBe('in_progress');

    // Each expiry told the client once; each auto-completion told the worker once.
    const expiredMessages = await eventually(
      () => api('GET', '/api/inbox?limit=100', { key: client.key }),
      (response) => response.body.messages.filter((m: { message_type: string }) => m.message_type === 'job_expired').length >= 30,
    );
    expect(expiredMessages.body.messages.filter((m: { message_type: string }) => m.message_type === 'job_expired')).toHaveLength(30);
  });
});
