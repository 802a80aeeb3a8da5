import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { findFreePort } from './find-free-port.ts';
import type { RestartPolicy } from './restart-policy.ts';
import { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from './service-process.ts';
import type { SupervisionState } from './supervision-state.ts';

// A stand-in service: ready on /ready, and /exit?code=N makes it exit on its own, as a crash would.
const CHILD_SCRIPT = `
import { createServer } from 'node:http';
createServer((request, response) => {
  const url = new URL(request.url, 'http://x');
  if (url.pathname === '/exit') { response.end(); process.exit(Number(url.searchParams.get('code'))); }
  response.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

let workDir: string;
let entry: string;
const started: ServiceProcess[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'supervisor-spec-'));
  entry = path.join(workDir, 'child.mjs');
  await writeFile(entry, CHILD_SCRIPT);
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((process) => process.stop(1000)));
});
afterAll(async () => rm(workDir, { recursive: true, force: true }));

interface Supervised {
  process: ServiceProcess;
  port: number;
  states: SupervisionState[];
  logLines: string[];
}

async function supervise(policy: Partial<RestartPolicy> = {}, extra: Partial<ServiceProcessOptions> = {}): Promise<Supervised> {
  const port = await findFreePort();
  const states: SupervisionState[] = [];
  const logLines: string[] = [];
  const process = await startServiceProcess({
    name: 'toy',
    entry,
    env: { PORT: String(port) },
    readyUrl: `http://127.0.0.1:${port}/ready`,
    readyTimeoutMs: 10_000,
    restartPolicy: { initialDelayMs: 50, maxDelayMs: 1000, resetAfterMs: 60_000, ...policy },
    onSupervisionChange: (state) => states.push(state),
    onSupervisorLog: (line) => logLines.push(line),
    ...extra,
  });
  started.push(process);
  return { process, port, states, logLines };
}

/** Polls until `condition` holds (a spec of this library cannot use @agentmarket/testing, which depends on it). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error(`condition not met within ${timeoutMs} ms`);
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a supervised service process', () => {
  it('comes back after a SIGKILL it was not asked for, and logs the exit and the restart', async () => {
    const { process: toy, logLines, states } = await supervise();
    const first = toy.pid;
    expect(await toy.crash('SIGKILL')).toBe(first);
    await toy.waitUntilReady();
    expect(toy.pid).toBeDefined();
    expect(toy.pid).not.toBe(first);
    expect(toy.supervision).toMatchObject({ status: 'running', restarts: 1, attempt: 1, lastExit: 'signal SIGKILL' });
    expect(states.some((state) => state.status === 'restarting' && state.nextRestartAt !== null)).toBe(true);
    expect(logLines[0]).toBe(`toy (pid ${first}) exited with signal SIGKILL without being asked to; restart attempt 1 in 0.1 s`);
    expect(logLines[1]).toMatch(new RegExp(`^toy restarted as pid ${toy.pid} \\(attempt 1\\), ready after \\d+\\.\\d s$`));
  });

  it('restarts a process that exits with code 0 on its own', async () => {
    const { process: toy, port } = await supervise();
    await fetch(`http://127.0.0.1:${port}/exit?code=0`).catch(() => {});
    await until(() => toy.supervision.restarts === 1);
    await toy.waitUntilReady();
    expect(toy.supervision).toMatchObject({ status: 'running', restarts: 1, lastExit: 'exit code 0' });
  });

  it('does not restart a process that exits with the configuration-error code: every restart would fail the same way', async () => {
    const { process: toy, port, logLines } = await supervise();
    const first = toy.pid;
    await fetch(`http://127.0.0.1:${port}/exit?code=78`).catch(() => {});
    await until(() => toy.supervision.status === 'stopped');
    expect(toy.supervision).toMatchObject({ status: 'stopped', restarts: 0, lastExit: 'exit code 78', nextRestartAt: null });
    expect(logLines).toEqual([`toy (pid ${first}) exited with exit code 78, a configuration error: not restarting it; fix the setting it names and start again`]);
  });

  it('doubles the delay while restarts keep failing, and starts over after a stable run', async () => {
    const flapping = await supervise({ initialDelayMs: 50, resetAfterMs: 60_000 });
    await flapping.process.crash();
    await flapping.process.waitUntilReady();
    await flapping.process.crash();
    await flapping.process.waitUntilReady();
    expect(flapping.process.supervision.attempt).toBe(2);
    expect(flapping.logLines.filter((line) => line.includes('exited'))).toEqual([
      expect.stringContaining('restart attempt 1 in 0.1 s'),
      expect.stringContaining('restart attempt 2 in 0.1 s'),
    ]);
    const backoffAttempts = flapping.states.filter((state) => state.nextRestartAt !== null).map((state) => state.attempt);
    expect(backoffAttempts).toEqual([1, 2]);

    const stable = await supervise({ resetAfterMs: 0 });
    await stable.process.crash();
    await stable.process.waitUntilReady();
    await stable.process.crash();
    await stable.process.waitUntilReady();
    expect(stable.process.supervision).toMatchObject({ attempt: 1, restarts: 2 });
  });

  it('leaves a process killed on purpose down until restart()', async () => {
    const { process: toy } = await supervise();
    const first = toy.pid ?? 0;
    await toy.kill();
    expect(isAlive(first)).toBe(false);
    expect(toy.supervision).toMatchObject({ status: 'stopped', pid: undefined, nextRestartAt: null, restarts: 0 });
    await expect(toy.waitUntilReady()).rejects.toThrow(/stopped/);
    await toy.restart();
    expect(toy.supervision).toMatchObject({ status: 'running', restarts: 0 });
    expect(toy.pid).not.toBe(first);
  });

  it('drops a pending restart when stopped during the backoff', async () => {
    const { process: toy } = await supervise({ initialDelayMs: 5000 });
    await toy.crash();
    expect(toy.supervision.status).toBe('restarting');
    await toy.stop();
    // No timer is left: nothing can start the process again.
    expect(toy.supervision).toMatchObject({ status: 'stopped', pid: undefined, nextRestartAt: null, restarts: 0 });
  });

  it('stays down when its owner says no more restarts (the stack is stopping)', async () => {
    let stopping = false;
    const { process: toy } = await supervise({}, { mayRestart: () => !stopping });
    stopping = true;
    await toy.crash('SIGTERM');
    expect(toy.supervision).toMatchObject({ status: 'stopped', nextRestartAt: null, lastExit: 'signal SIGTERM' });
  });

  it('does not supervise at all with restartPolicy false', async () => {
    const { process: toy } = await supervise({}, { restartPolicy: false });
    await toy.crash();
    expect(toy.supervision.status).toBe('stopped');
  });
});
