import { spawn, type ChildProcess, type Serializable } from 'node:child_process';
import type { HeapInfo } from 'node:v8';
import { describeExit } from './exit-description.ts';
import { killOnParentExit } from './kill-on-parent-exit.ts';
import { forwardLines } from './output-lines.ts';
import { SERVICE_ENV_DEFAULTS, SERVICE_NODE_FLAGS } from './service-node-options.ts';

export interface ChildRunOptions {
  name: string;
  /** The TypeScript entry file; Node 24 runs it directly. */
  entry: string;
  env: Record<string, string>;
  onOutput?: (name: string, line: string) => void;
  /** Given, the child gets an IPC channel; each message it sends arrives here with a way to answer it. */
  onMessage?: (message: unknown, reply: (message: unknown) => void) => void;
}

/** One OS process of a service: a restart is a new ChildRun. */
export interface ChildRun {
  readonly pid: number | undefined;
  /** How logs name it: "pid 1234", "thread 3 of pid 1234". */
  readonly label: string;
  /** Resolves once the child has exited, with how it ended ("signal SIGKILL", "exit code 1"). */
  readonly exited: Promise<string>;
  /** Aborted when the child exits, so whatever waits on it (a readiness probe) stops at once. */
  readonly gone: AbortSignal;
  isAlive(): boolean;
  /** A thread's V8 heap as v8.getHeapStatistics() reports it; only threads have it (a process's is its own business). */
  heapStatistics?(): Promise<HeapInfo>;
  /** Sends `signal` now. */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal`, then SIGKILL if it still runs after `graceMs`; resolves once it has exited. */
  terminate(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

/**
 * Runs `entry` on this Node binary as a child process, forwarding its output
 * lines, with the flags and environment every service runs with
 * (service-node-options.ts; the same variables given in the environment win).
 */
export function spawnChildRun(options: ChildRunOptions): ChildRun {
  const child: ChildProcess = spawn(process.execPath, [...SERVICE_NODE_FLAGS, options.entry], {
    // AGENTMARKET_SUPERVISOR_PID: the child stops by itself if this process disappears without stopping it (exitWhenOrphaned).
    env: { ...SERVICE_ENV_DEFAULTS, ...process.env, ...options.env, AGENTMARKET_SUPERVISOR_PID: String(process.pid) },
    stdio: options.onMessage ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  killOnParentExit(child);
  for (const stream of [child.stdout, child.stderr]) forwardLines(stream, (line) => options.onOutput?.(options.name, line));

  const goneController = new AbortController();
  let alive = true;
  const exited = new Promise<string>((resolve) => {
    const end = (how: string) => {
      if (!alive) return;
      alive = false;
      goneController.abort();
      resolve(how);
    };
    child.once('exit', (code, signal) => end(describeExit(code, signal)));
    // 'error' without 'exit' happens only when the process could not be spawned at all.
    child.on('error', (error) => {
      if (child.pid === undefined) end(`spawn failure: ${error.message}`);
    });
  });

  if (options.onMessage) {
    const onMessage = options.onMessage;
    const reply = (message: unknown) => {
      // A child that has just exited cannot be answered; its successor asks again when it starts.
      if (child.connected) child.send(message as Serializable, () => {});
    };
    child.on('message', (message) => onMessage(message, reply));
  }

  return {
    pid: child.pid,
    label: `pid ${child.pid}`,
    exited,
    gone: goneController.signal,
    isAlive: () => alive,
    signal(signal) {
      if (alive) child.kill(signal);
    },
    async terminate(signal, graceMs) {
      if (!alive) return;
      child.kill(signal);
      const escalation = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(escalation);
    },
  };
}
