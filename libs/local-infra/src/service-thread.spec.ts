import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { findFreePort } from './find-free-port.ts';
import type { ServiceProcess } from './service-supervisor.ts';
import { startServiceThread, type ServiceThreadOptions } from './service-thread.ts';
import { TERMINATED } from './worker-run.ts';

// A stand-in service run as a thread: ready on /ready, /exit?code=N exits on its own, /env shows what the orphan
// check compares, SIGTERM shuts it down after saying so (unless IGNORE_SIGTERM), and an IPC message is echoed.
const THREAD_SCRIPT = `
import { createServer } from 'node:http';
const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://x');
  if (url.pathname === '/exit') { response.end(); process.exit(Number(url.searchParams.get('code'))); }
  if (url.pathname === '/env') { response.end(JSON.stringify({ supervisor: process.env.AGENTMARKET_SUPERVISOR_PID, ppid: process.ppid, gc: typeof globalThis.gc, pid: process.pid })); return; }
  response.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  if (process.env.IGNORE_SIGTERM) return;
  process.stderr.write('shutting down on SIGTERM\\n');
  server.close(() => process.exit(0));
});
process.on('message', (message) => process.send?.({ echo: message }));
process.send?.({ hello: true });
`;

let workDir: string;
let entry: string;
const started: ServiceProcess[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'thread-supervisor-spec-'));
  entry = path.join(workDir, 'service.mjs');
  await writeFile(entry, THREAD_SCRIPT);
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop(1000)));
});
afterAll(async () => rm(workDir, { recursive: true, force: true }));

async function supervise(extra: Partial<ServiceThreadOptions> = {}) {
  const port = await findFreePort();
  const output: string[] = [];
  const logLines: string[] = [];
  const service = await startServiceThread({
    name: 'toy',
    entry,
    readyUrl: `http://127.0.0.1:${port}/ready`,
    readyTimeoutMs: 10_000,
    restartPolicy: { initialDelayMs: 50, maxDelayMs: 1000, resetAfterMs: 60_000 },
    onOutput: (_name, line) => output.push(line),
    onSupervisorLog: (line) => logLines.push(line),
    ...extra,
    env: { PORT: String(port), ...extra.env },
  });
  started.push(service);
  return { service, port, output, logLines };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`condition not met within ${timeoutMs} ms`);
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

const answers = async (port: number) => fetch(`http://127.0.0.1:${port}/ready`).then((response) => response.ok, () => false);

describe('a service supervised as a worker thread', () => {
  it('runs in this process, on a thread named after it, with the idle collector and an orphan check that cannot fire', async () => {
    const { service, port } = await supervise({ threadName: 'toy-thread' });
    expect(service.pid).toBe(process.pid);
    // Its own heap, reported apart from the host's.
    expect((await service.heapStatistics())?.total_heap_size).toBeGreaterThan(0);
    const seen = (await (await fetch(`http://127.0.0.1:${port}/env`)).json()) as { supervisor: string; ppid: number; gc: string; pid: number };
    // Its parent, as a child's would be, is its supervisor: this process, which the orphan check compares it to.
    expect(seen).toEqual({ supervisor: String(process.pid), ppid: process.pid, gc: 'function', pid: process.pid });
    if (process.platform === 'linux') {
      const tasks = await readdir(`/proc/${process.pid}/task`);
      const names = await Promise.all(tasks.map((tid) => readFile(`/proc/${process.pid}/task/${tid}/comm`, 'utf8').catch(() => '')));
      expect(names.map((name) => name.trim())).toContain('toy-thread');
    }
  });

  it('stops by running its own SIGTERM shutdown, and ends with the code it exits with', async () => {
    const { service, port, output } = await supervise();
    await service.stop(5000);
    expect(output).toContain('shutting down on SIGTERM');
    expect(service.supervision).toMatchObject({ status: 'stopped', lastExit: 'exit code 0' });
    expect(await answers(port)).toBe(false);
  });

  it('is terminated when its shutdown outlasts the grace', async () => {
    const { service } = await supervise({ env: { IGNORE_SIGTERM: '1' } });
    const before = Date.now();
    await service.stop(300);
    expect(Date.now() - before).toBeLessThan(3000);
    expect(service.supervision).toMatchObject({ status: 'stopped', lastExit: TERMINATED });
  });

  it('comes back after a crash (the thread terminated behind the supervisor), and logs it', async () => {
    const { service, port, logLines } = await supervise();
    await service.crash();
    await until(() => service.supervision.status === 'running' && service.supervision.restarts === 1);
    expect(await answers(port)).toBe(true);
    expect(logLines.join('\n')).toMatch(/toy \(thread \d+ of pid \d+\) exited with terminated without being asked to; restart attempt 1/);
  });

  it('restarts a thread that exits on its own, but not one that exits with the configuration-error code', async () => {
    const { service, port, logLines } = await supervise();
    await fetch(`http://127.0.0.1:${port}/exit?code=3`);
    await until(() => service.supervision.status === 'running' && service.supervision.restarts === 1);
    await fetch(`http://127.0.0.1:${port}/exit?code=78`);
    await until(() => service.supervision.status === 'stopped');
    expect(service.supervision).toMatchObject({ lastExit: 'exit code 78', restarts: 1 });
    expect(logLines.join('\n')).toContain('a configuration error: not restarting it');
  });

  it('gives the service an IPC channel to the host when asked, as a child process has', async () => {
    const received: unknown[] = [];
    await supervise({
      onMessage: (message, reply) => {
        received.push(message);
        if ((message as { hello?: boolean }).hello) reply({ snapshot: 1 });
      },
    });
    await until(() => received.length === 2);
    expect(received).toEqual([{ hello: true }, { echo: { snapshot: 1 } }]);
  });
});
