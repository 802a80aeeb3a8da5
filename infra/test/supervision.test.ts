import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProcess } from '@agentmarket/local-infra';
import { TEST_ADMIN_KEY, apiClient, isProcessAlive as isAlive, eventually, registerAgent, startTestStack, type ApiResponse, type TestStack } from '@agentmarket/testing';
import { PROCESSES } from '../src/service-registry.ts';

// Long enough that the test sees /readyz say "restarting" while the backoff runs, short enough for a quick file.
const BACKOFF_MS = 1500;

let stack: TestStack | undefined;
let stopped = false;
let agentKey = '';
/** Every pid a process of the stack has had: none may outlive stack.stop(). */
const seenPids = new Set<number>();

beforeAll(async () => {
  stack = await startTestStack({
    env: { RESTART_BACKOFF_INITIAL_MS: String(BACKOFF_MS) },
    // /api/stats is the request that proves reputation is back: it must not come from the gateway's cache.
    envFor: { gateway: { STATS_CACHE_MS: '0' } },
  });
  agentKey = (await registerAgent(apiClient(stack.gatewayUrl), 'Supervised')).key;
});
afterAll(async () => {
  if (!stopped) await stack?.stop();
});

const running = (): TestStack => {
  if (!stack) throw new Error('the test stack has not started');
  return stack;
};
const processNamed = (name: string): ServiceProcess => {
  const found = running().processes.get(name);
  if (!found) throw new Error(`no process ${name}`);
  return found;
};

/** A request that fails to connect (the gateway is down) reads as status 0, so it can be waited on like any other. */
async function call(path: string, key?: string): Promise<ApiResponse> {
  try {
    // /readyz shows its checks (who is restarting) only to the admin credential on the API port.
    const headers: Record<string, string> = path === '/readyz' ? { 'x-admin-key': TEST_ADMIN_KEY } : {};
    return await apiClient(running().gatewayUrl)('GET', path, key === undefined ? { headers } : { key, headers });
  } catch {
    return { status: 0, body: undefined, headers: new Headers() };
  }
}

/** A real request through the gateway that only succeeds when this process serves again. */
const PROOF: Record<string, () => Promise<boolean>> = {
  identity: async () => (await call('/api/agents')).status === 200,
  catalog: async () => (await call('/api/services')).status === 200,
  jobs: async () => (await call('/api/graph')).status === 200,
  messaging: async () => (await call('/api/activity')).status === 200,
  payments: async () => (await call('/api/wallet', agentKey)).status === 200,
  reputation: async () => (await call('/api/stats')).status === 200,
  executor: async () => {
    const system = await call('/api/system');
    return system.status === 200 && system.body.executor !== null;
  },
  webhooks: async () => (await call('/api/webhooks', agentKey)).status === 200,
  gateway: async () => (await call('/api/agents')).status === 200,
};

/** SIGKILLs the process's current child by pid, as an OOM killer or `kill -9` would: the test never tells the stack. */
function killByPid(name: string): number {
  const pid = processNamed(name).pid;
  if (pid === undefined) throw new Error(`${name} has no running child`);
  seenPids.add(pid);
  process.kill(pid, 'SIGKILL');
  return pid;
}

async function expectBackAndServing(name: string, oldPid: number, restartsBefore: number): Promise<void> {
  await eventually(() => call('/readyz'), (readyz) => readyz.status === 200, 30_000, 100);
  await eventually(PROOF[name] ?? (async () => false), (ok) => ok, 15_000, 100);
  // Serving can come a moment before the supervisor's own readiness probe marks the process running.
  await eventually(async () => processNamed(name).supervision.status, (status) => status === 'running', 15_000, 50);
  const supervised = processNamed(name);
  expect(supervised.pid).toBeDefined();
  expect(supervised.pid).not.toBe(oldPid);
  seenPids.add(supervised.pid ?? 0);
  expect(supervised.supervision).toMatchObject({ status: 'running', restarts: restartsBefore + 1, lastExit: 'signal SIGKILL' });
}

describe('supervision', () => {
  const services = PROCESSES.map((definition) => definition.name).filter((name) => name !== 'gateway');

  it('has a proof request for every process', () => {
    expect(Object.keys(PROOF).sort()).toEqual(PROCESSES.map((definition) => definition.name).sort());
  });

  for (const name of services) {
    it(`${name}: SIGKILLed by pid, shows as restarting in /readyz, then is back and serving without the test's help`, async () => {
      const restartsBefore = processNamed(name).supervision.restarts;
      const oldPid = killByPid(name);
      const restarting = await eventually(
        () => call('/readyz'),
        (readyz) => typeof readyz.body?.services?.[name] === 'string' && readyz.body.services[name].startsWith('restarting'),
        10_000,
        25,
      );
      // Reported, not fatal: the gateway's readiness depends only on its own bus and KV buckets.
      expect(restarting.status).toBe(200);
      expect(restarting.body.services[name]).toMatch(/^restarting \(attempt 1, (next in \d+\.\d s|starting)\)$/);
      await expectBackAndServing(name, oldPid, restartsBefore);
    });
  }

  it('gateway: SIGKILLed by pid, is restarted on the same port', async () => {
    const gateway = processNamed('gateway');
    const restartsBefore = gateway.supervision.restarts;
    const oldPid = killByPid('gateway');
    // Nobody can ask a dead gateway for /readyz: the supervisor's own state says it is restarting.
    await eventually(async () => gateway.supervision, (state) => state.status === 'restarting' && state.nextRestartAt !== null, 10_000, 10);
    expect((await call('/healthz')).status, 'nothing listens on the port meanwhile').toBe(0);
    // The same gatewayUrl answers again: the new child listens on the port of the old one.
    await expectBackAndServing('gateway', oldPid, restartsBefore);
  });

  it('stack.stop() restarts nothing, not even a process waiting out its backoff, and leaves no process running', async () => {
    const catalog = processNamed('catalog');
    const restartsBefore = catalog.supervision.restarts;
    const crashedPid = await catalog.crash();
    if (crashedPid !== undefined) seenPids.add(crashedPid);
    expect(catalog.supervision.status).toBe('restarting');
    for (const supervised of running().processes.values()) if (supervised.pid !== undefined) seenPids.add(supervised.pid);

    stopped = true;
    await running().stop();

    expect([...seenPids].filter(isAlive)).toEqual([]);
    for (const supervised of running().processes.values()) {
      // Stopped with no restart pending: nothing is left that could start it again.
      expect(supervised.supervision, supervised.name).toMatchObject({ status: 'stopped', pid: undefined, nextRestartAt: null });
    }
    expect(catalog.supervision.restarts).toBe(restartsBefore);
  });
});
