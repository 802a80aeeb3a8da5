import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, natsCredentialsEnv, startServiceThread, type ServiceProcess } from '@agentmarket/local-infra';
import { PROCESSES } from '../src/index.ts';
import {
  TEST_ADMIN_KEY,
  TEST_STACK_ENV,
  apiClient,
  eventually,
  hireService,
  jobAction,
  ledgerProblemsIn,
  publishService,
  registerAgent,
  startTestStack,
  type ApiClient,
  type TestStack,
} from '@agentmarket/testing';

/**
 * The whole market hosted as worker threads of this one process (what
 * `npm start` and the bench run): every service ready, a job paid for and
 * settled, a crashed service thread restarted by the supervisor (and shown
 * as restarting by the gateway meanwhile, over the thread's IPC bridge), a
 * thread whose configuration turns bad left down, and a stop that ends every
 * thread through its own graceful shutdown.
 */
let stack: TestStack;
let api: ApiClient;
let stopped = false;
const extraThreads: ServiceProcess[] = [];

// A crash's backoff long enough for the gateway's /readyz to be seen reporting it.
const RESTART_DELAY_MS = 3000;

beforeAll(async () => {
  stack = await startTestStack({ hosting: 'threads', env: { RESTART_BACKOFF_INITIAL_MS: String(RESTART_DELAY_MS) } });
  api = apiClient(stack.gatewayUrl);
});

afterAll(async () => {
  await Promise.all(extraThreads.map((thread) => thread.stop(1000)));
  if (!stopped) await stack?.stop();
});

/** The names of this process's threads (Linux), as /proc shows them: a service thread is named after its service. */
async function threadNames(): Promise<string[]> {
  const tasks = await readdir(`/proc/${process.pid}/task`).catch(() => []);
  const names = await Promise.all(tasks.map((tid) => readFile(`/proc/${process.pid}/task/${tid}/comm`, 'utf8').catch(() => '')));
  return names.map((name) => name.trim()).filter(Boolean);
}

const usd = async (agent: { key: string }) => {
  const wallet = await api<{ balances: { currency: string; available: string }[] }>('GET', '/api/wallet', { key: agent.key });
  return wallet.body.balances.find((balance) => balance.currency === 'USD')?.available;
};

/** One whole lifecycle at 10.00 USD; the worker is paid 9.75 (the default 2.5 % fee), each side seen settled. */
async function paidLifecycle(): Promise<void> {
  const [client, worker] = await Promise.all([registerAgent(api, 'Thread client', ['hiring']), registerAgent(api, 'Thread worker', ['writing'])]);
  const [clientBefore, workerBefore] = await Promise.all([usd(client), usd(worker)]);
  const service = await publishService(api, worker, { price_usd: '10.00' });
  const job = await hireService(api, client, service.id);
  expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'Done.' })).status).toBe(200);
  expect((await jobAction(api, client, job.id, 'complete', { rating: 5 })).body.status).toBe('completed');
  const cents = (amount: string | undefined) => Math.round(Number(amount) * 100);
  await eventually(() => usd(worker), (balance) => cents(balance) === cents(workerBefore) + 975);
  expect(cents(await usd(client))).toBe(cents(clientBefore) - 1000);
}

describe('the market hosted as worker threads of one process', () => {
  it('runs every service as a thread of this process, each ready and named after its service', async () => {
    expect(stack.hosting).toBe('threads');
    expect([...stack.processes.keys()].sort()).toEqual(PROCESSES.map((definition) => definition.name).sort());
    for (const service of stack.processes.values()) expect(service.supervision).toMatchObject({ status: 'running', pid: process.pid });
    expect((await api('GET', '/readyz')).status).toBe(200);
    if (process.platform === 'linux') expect(await threadNames()).toEqual(expect.arrayContaining(PROCESSES.map((definition) => definition.name)));
  });

  it('runs a job lifecycle with the money right', async () => {
    await paidLifecycle();
    expect(await ledgerProblemsIn(stack.databaseUrl)).toEqual([]);
  });

  it('restarts a crashed service thread, shows it restarting meanwhile, and the market works again', async () => {
    const payments = stack.processes.get('payments')!;
    await payments.crash();
    expect(payments.supervision).toMatchObject({ status: 'restarting', lastExit: 'terminated' });
    // The gateway learns it from the supervisor through its thread's IPC bridge.
    await eventually(
      () => api('GET', '/readyz', { headers: { 'x-admin-key': TEST_ADMIN_KEY } }),
      (readiness) => JSON.stringify(readiness.body).includes('restarting (attempt 1'),
      RESTART_DELAY_MS,
      100,
    );
    await payments.waitUntilReady();
    expect(payments.supervision).toMatchObject({ status: 'running', restarts: 1 });
    await paidLifecycle();
    expect(await ledgerProblemsIn(stack.databaseUrl)).toEqual([]);
  });

  it('leaves down a thread that exits with a configuration error, and the others go on', async () => {
    const definition = PROCESSES.find((candidate) => candidate.name === 'reputation')!;
    const port = await findFreePort();
    const env: Record<string, string> = {
      ...TEST_STACK_ENV,
      ...natsCredentialsEnv(stack.natsAuth!, 'reputation'),
      NATS_URL: stack.natsUrl,
      DATABASE_URL: stack.databaseUrl,
      OPS_PORT: String(port),
    };
    const logLines: string[] = [];
    const output: string[] = [];
    const replica = await startServiceThread({
      name: 'reputation',
      threadName: 'reputation#x',
      entry: definition.entry,
      env,
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      readyTimeoutMs: 60_000,
      restartPolicy: { initialDelayMs: 50, maxDelayMs: 1000, resetAfterMs: 60_000 },
      onSupervisorLog: (line) => logLines.push(line),
      onOutput: (_name, line) => output.push(line),
    });
    extraThreads.push(replica);
    // Its setting goes bad before the supervisor's next start of it (each start reads the environment anew).
    env.OPS_PORT = 'not-a-port';
    await replica.crash();
    await eventually(
      async () => replica.supervision,
      (state) => state.status === 'stopped',
    );
    expect(replica.supervision).toMatchObject({ lastExit: 'exit code 78', restarts: 1 });
    expect(logLines.join('\n')).toContain('a configuration error: not restarting it');
    expect(output.join('\n')).toContain('OPS_PORT');
    expect(stack.processes.get('reputation')!.supervision.status).toBe('running');
    expect((await api('GET', '/readyz')).status).toBe(200);
  });

  it('stops every thread through its own graceful shutdown, within the grace', async () => {
    const started = Date.now();
    stopped = true;
    await stack.stop();
    // Each service's shutdown (SHUTDOWN_TIMEOUT_MS 5 s) runs; none needed terminating after the supervisor's 10 s grace.
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const [name, service] of stack.processes) expect({ name, ...service.supervision }).toMatchObject({ name, status: 'stopped', lastExit: 'exit code 0' });
    if (process.platform === 'linux') {
      const names = await threadNames();
      expect(names.filter((name) => stack.processes.has(name))).toEqual([]);
    }
  });
});
