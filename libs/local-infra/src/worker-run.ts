import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChildRun, ChildRunOptions } from './child-run.ts';
import { forwardLines } from './output-lines.ts';
import { SERVICE_ENV_DEFAULTS, SERVICE_YOUNG_GENERATION_MB } from './service-node-options.ts';
import { IPC_MESSAGE, STOP_MESSAGE, isIpcMessage, type ServiceThreadData } from './service-thread-protocol.ts';

const THREAD_ENTRY = fileURLToPath(new URL('./service-thread-entry.ts', import.meta.url));

/** How the supervisor's log and health name the end of a thread that was terminated rather than exiting itself. */
export const TERMINATED = 'terminated';

let threadsStarted = 0;

export interface WorkerRunOptions extends ChildRunOptions {
  /** The OS thread's name (15 characters at most are kept; /proc/<pid>/task/<tid>/comm): the service's name by default. */
  threadName?: string;
}

/**
 * Runs `entry` as a worker thread of this process, with the environment and
 * young-generation bound a child process of the service would have, and its
 * output lines forwarded like a child's. One run is one thread: a restart is
 * a new WorkerRun. SIGTERM and SIGINT ask the service to stop (its own
 * shutdown runs); any other signal terminates the thread at once.
 */
export function startWorkerRun(options: WorkerRunOptions): ChildRun {
  threadsStarted += 1;
  const env: Record<string, string | undefined> = {
    ...SERVICE_ENV_DEFAULTS,
    // Threads of one process would otherwise share its default replica name (hostname-pid) in logs and bus connections.
    INSTANCE_ID: `${hostname()}-${process.pid}-${threadsStarted}`,
    ...process.env,
    ...options.env,
    // The thread's process.ppid is this process (service-thread-entry.ts), which outlives none of its threads: the
    // services' orphan check never fires in a thread. The host goes down with its parent itself, its threads with it.
    AGENTMARKET_SUPERVISOR_PID: String(process.pid),
  };
  const data: ServiceThreadData = { entry: options.entry, ipc: options.onMessage !== undefined };
  const worker = new Worker(THREAD_ENTRY, {
    name: options.threadName ?? options.name,
    workerData: data,
    env,
    // The services run with no flags of their own, as their child processes do (V8 flags are the host's).
    execArgv: [],
    stdin: false,
    stdout: true,
    stderr: true,
    resourceLimits: SERVICE_YOUNG_GENERATION_MB === undefined ? {} : { maxYoungGenerationSizeMb: SERVICE_YOUNG_GENERATION_MB },
  });
  for (const stream of [worker.stdout, worker.stderr]) forwardLines(stream, (line) => options.onOutput?.(options.name, line));
  // Unhandled, a thread's uncaught error would be thrown in the host; the thread ends with code 1 right after.
  worker.on('error', (error) => options.onOutput?.(options.name, `uncaught in its thread: ${error.stack ?? error.message}`));

  const goneController = new AbortController();
  let alive = true;
  let terminating = false;
  const exited = new Promise<string>((resolve) => {
    worker.once('exit', (code) => {
      alive = false;
      goneController.abort();
      resolve(terminating ? TERMINATED : `exit code ${code}`);
    });
  });

  if (options.onMessage) {
    const onMessage = options.onMessage;
    // A thread that has just ended cannot be answered; its successor asks again when it starts.
    const reply = (message: unknown) => void (alive && worker.postMessage({ kind: IPC_MESSAGE, message }));
    worker.on('message', (message: unknown) => {
      if (isIpcMessage(message)) onMessage(message.message, reply);
    });
  }

  const terminateNow = () => {
    if (!alive) return;
    terminating = true;
    void worker.terminate();
  };
  const askToStop = (signal: 'SIGTERM' | 'SIGINT') => {
    if (alive) worker.postMessage({ kind: STOP_MESSAGE, signal });
  };
  const send = (signal: NodeJS.Signals) => (signal === 'SIGTERM' || signal === 'SIGINT' ? askToStop(signal) : terminateNow());

  return {
    pid: process.pid,
    label: `thread ${worker.threadId} of pid ${process.pid}`,
    exited,
    gone: goneController.signal,
    isAlive: () => alive,
    heapStatistics: () => worker.getHeapStatistics(),
    signal: send,
    async terminate(signal, graceMs) {
      if (!alive) return;
      send(signal);
      const escalation = signal === 'SIGTERM' || signal === 'SIGINT' ? setTimeout(terminateNow, graceMs) : undefined;
      await exited;
      clearTimeout(escalation);
    },
  };
}
