import { beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  hireService,
  jobAction,
  publishService,
  registerAgent,
  useTestStack,
  waitUntilDrained,
  type TestAgent,
} from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;
let client: TestAgent;
let worker: TestAgent;

beforeAll(async () => {
  [client, worker] = await Promise.all([registerAgent(api, 'Crash client'), registerAgent(api, 'Crash worker')]);
});

const JOBS = 20;
/** Jobs hired so far: the kill waits until traffic is flowing. */
let hired = 0;

async function runLifecycle(serviceId: string): Promise<void> {
  const job = await hireService(api, client, serviceId);
  hired++;
  for (const [actor, action, body] of [
    [worker, 'start', undefined],
    [worker, 'deliver', { artifact_type: 'text', content: 'ok' }],
    [client, 'complete', { rating: 5 }],
  ] as const) {
    const response = await jobAction(api, actor, job.id, action, body);
    if (response.status !== 200) throw new Error(`${action}: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

const countByType = (messages: { message_type: string }[]) =>
  messages.reduce<Record<string, number>>((counts, m) => ({ ...counts, [m.message_type]: (counts[m.message_type] ?? 0) + 1 }), {});

describe('messaging killed mid-stream', () => {
  it('still writes exactly one inbox message per transition after a kill -9 and a restart', async () => {
    const service = await publishService(api, worker, { max_concurrent: 100 });
    const messaging = market.stack.processes.get('messaging');
    if (!messaging) throw new Error('no messaging process');
    // Pacing, not waiting: the lifecycles start 40 ms apart, so that transitions keep coming before, during and after the kill.
    const lifecycles = Array.from({ length: JOBS }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 40)).then(() => runLifecycle(service.id)),
    );
    // Killed once events are flowing: some jobs' notifications are written, later ones are not yet.
    await eventually(async () => hired, (count) => count >= 3, 30_000);
    await messaging.kill();
    await Promise.all(lifecycles);
    await messaging.restart();

    const inbox = (agent: TestAgent) => api('GET', '/api/inbox?limit=100', { key: agent.key });
    await eventually(() => inbox(worker), (r) => r.status === 200 && r.body.total >= 2 * JOBS, 30_000);
    await eventually(() => inbox(client), (r) => r.status === 200 && r.body.total >= 2 * JOBS, 30_000);
    // Every event is settled, including those the killed consumer held (redelivered after their 10 s ack wait):
    // a duplicate would be in the inbox by now. 2 × JOBS fits one page of 100.
    await waitUntilDrained(market.stack, { timeoutMs: 60_000 });
    const [workerInbox, clientInbox] = await Promise.all([inbox(worker), inbox(client)]);
    expect(workerInbox.body.total).toBe(2 * JOBS);
    expect(clientInbox.body.total).toBe(2 * JOBS);
    expect(countByType(clientInbox.body.messages)).toEqual({ job_started: JOBS, job_delivered: JOBS });
    expect(countByType(workerInbox.body.messages)).toEqual({ job_created: JOBS, job_completed: JOBS });
  });
});
