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
let worker: TestAgent;

beforeAll(async () => {
  [client, worker] = await Promise.all([registerAgent(api, 'Crash client'), registerAgent(api, 'Crash worker')]);
});

const JOBS = 20;

async function runLifecycle(serviceId: string): Promise<void> {
  const job = await hireService(api, client, serviceId);
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
    const lifecycles = Array.from({ length: JOBS }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 40)).then(() => runLifecycle(service.id)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await messaging.kill();
    await Promise.all(lifecycles);
    await messaging.restart();

    const inbox = (agent: TestAgent) => api('GET', '/api/inbox?limit=100', { key: agent.key });
    await eventually(() => inbox(worker), (r) => r.status === 200 && r.body.total >= 2 * JOBS, 30_000);
    await eventually(() => inbox(client), (r) => r.status === 200 && r.body.total >= 2 * JOBS, 30_000);
    // Give any duplicate a chance to show up before counting (2 × JOBS fits one page of 100).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [workerInbox, clientInbox] = await Promise.all([inbox(worker), inbox(client)]);
    expect(workerInbox.body.total).toBe(2 * JOBS);
    expect(clientInbox.body.total).toBe(2 * JOBS);
    expect(countByType(clientInbox.body.messages)).toEqual({ job_started: JOBS, job_delivered: JOBS });
    expect(countByType(workerInbox.body.messages)).toEqual({ job_created: JOBS, job_completed: JOBS });
  });
});
