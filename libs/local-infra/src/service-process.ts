import { spawn, type ChildProcess } from 'node:child_process';

export interface ServiceProcessOptions {
  name: string;
  /** The TypeScript entry file; Node 24 runs it directly. */
  entry: string;
  env: Record<string, string>;
  /** Each output line of the child, for the launcher to print or a test to keep. */
  onOutput?: (name: string, line: string) => void;
  /** Resolves when the child is ready (polled after start). */
  readyUrl?: string;
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now: a crash, for fault tests. */
  kill(): Promise<void>;
  /** Starts it again with the same settings and waits until ready. */
  restart(): Promise<void>;
  waitUntilReady(): Promise<void>;
}

/** Runs one service as a child process of this Node binary. */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);

  const launch = () => {
    const next = spawn(process.execPath, [options.entry], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = next;
    exited = new Promise((resolve) => next.once('exit', (code) => resolve(code)));
    for (const stream of [next.stdout, next.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line) options.onOutput?.(options.name, line);
      });
    }
  };

  const waitUntilReady = async () => {
    if (!options.readyUrl) return;
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`${options.name} exited with code ${exitCode} while starting`);
      try {
        const response = await fetch(options.readyUrl, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${options.name} was not ready at ${options.readyUrl} within ${options.readyTimeoutMs ?? 30_000} ms`);
  };

  const signal = async (name: NodeJS.Signals, graceMs: number) => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    current.kill(name);
    const timer = setTimeout(() => current.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  process.once('exit', () => child?.kill('SIGKILL'));
  launch();
  await waitUntilReady();

  return {
    name: options.name,
    get pid() {
      return child?.pid;
    },
    stop: (graceMs = 10_000) => signal('SIGTERM', graceMs),
    kill: () => signal('SIGKILL', 0),
    async restart() {
      await signal('SIGTERM', 5000);
      launch();
      await waitUntilReady();
    },
    waitUntilReady,
  };
}
