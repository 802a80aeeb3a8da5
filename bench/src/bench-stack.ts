import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HeapInfo } from 'node:v8';
import { SERVICE_ENV_DEFAULTS, SERVICE_NODE_FLAGS, type NatsAuth } from '@agentmarket/local-infra';
import { startTestStack, type TestStackOptions } from '@agentmarket/testing';
import type { HostMessage, HostReady, HostReply, HostRequest } from './stack-host-protocol.ts';

const STACK_HOST = fileURLToPath(new URL('./stack-host.ts', import.meta.url));

/** What the bench uses of the stack it measures, however the stack is hosted. */
export interface BenchStack {
  hosting: 'processes' | 'threads';
  gatewayUrl: string;
  databaseUrl: string;
  natsUrl: string;
  natsAuth: NatsAuth | undefined;
  nats: { pid: number };
  /** By key; with threads each one's pid is the host's. */
  processes: Map<string, { name: string; pid: number | undefined; heapStatistics(): Promise<HeapInfo | undefined> }>;
  /** With threads: the process that hosts them. */
  hostPid?: number;
  /** The services' output lines (with threads: what the host and its threads wrote). */
  output: string[];
  stop(): Promise<void>;
}

/**
 * The stack the bench measures. `processes`: each service a child process of
 * the bench, as the tests run them. `threads`: each service a worker thread
 * of one host process started for it (stack-host.ts), as `npm start` runs
 * them; a child of its own rather than the bench itself, so that the load
 * generator's memory and CPU are not counted as the stack's.
 */
export async function startBenchStack(options: TestStackOptions, hosting: 'processes' | 'threads'): Promise<BenchStack> {
  if (hosting === 'processes') return { ...(await startTestStack({ ...options, hosting })), hosting };
  const host = spawn(process.execPath, [...SERVICE_NODE_FLAGS, STACK_HOST], {
    env: { ...SERVICE_ENV_DEFAULTS, ...process.env, BENCH_STACK_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  for (const stream of [host.stdout, host.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean).map((line) => `[host] ${line}`)));
  }
  const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
  const ready = await new Promise<HostReady>((resolve, reject) => {
    host.on('message', (message: HostMessage) => {
      if (message.kind === 'ready') resolve(message);
      else if (message.kind === 'failed') reject(new Error(`the stack host failed: ${message.detail}`));
    });
    void exited.then(() => reject(new Error(`the stack host exited while starting:\n${output.slice(-30).join('\n')}`)));
  });

  let nextId = 0;
  const pending = new Map<number, (reply: HostReply) => void>();
  host.on('message', (message: HostMessage) => {
    if (message.kind !== 'reply') return;
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  const ask = (op: HostRequest['op']) =>
    new Promise<HostReply>((resolve, reject) => {
      if (!host.connected) return reject(new Error('the stack host is gone'));
      const id = ++nextId;
      pending.set(id, resolve);
      host.send({ id, op } satisfies HostRequest);
    });

  const hostPid = host.pid!;
  const heapOf = async (key: string) => (await ask('heaps').catch(() => undefined))?.heaps?.[key];
  const processes: BenchStack['processes'] = new Map(ready.services.map((key) => [key, { name: key.replace(/#\d+$/, ''), pid: hostPid, heapStatistics: () => heapOf(key) }]));
  let stopping: Promise<void> | undefined;
  return {
    hosting,
    gatewayUrl: ready.gatewayUrl,
    databaseUrl: ready.databaseUrl,
    natsUrl: ready.natsUrl,
    natsAuth: ready.natsAuth,
    nats: { pid: ready.natsPid },
    processes,
    hostPid,
    output,
    stop: () =>
      (stopping ??= (async () => {
        // A host whose stack does not stop in time must not outlive the bench.
        const deadline = setTimeout(() => host.kill('SIGKILL'), 60_000);
        await Promise.race([ask('stop').catch(() => undefined), exited]);
        await exited;
        clearTimeout(deadline);
      })()),
  };
}
