import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@agentmarket/local-infra';

export interface BaselineProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./bare-fastify-server.ts', import.meta.url));
const READY_TIMEOUT_MS = 10_000;

/**
 * Starts the bare Fastify server as its own process, so it competes for the
 * CPU with the load generator the same way the gateway does.
 */
export async function startBaseline(): Promise<BaselineProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the bench dies without cleaning up, the baseline must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`baseline server exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready`);
    }
    try {
      const response = await fetch(`${url}/agents/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`baseline server not ready on ${url} within ${READY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.pid === undefined) throw new Error('baseline server started without a pid');
  return { url, pid: child.pid, stop };
}
