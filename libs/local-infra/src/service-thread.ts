import v8 from 'node:v8';
import { ServiceSupervisor, type ServiceProcess, type SupervisionOptions } from './service-supervisor.ts';
import { startWorkerRun, type WorkerRunOptions } from './worker-run.ts';

export interface ServiceThreadOptions extends WorkerRunOptions, SupervisionOptions {}

/**
 * Runs one service as a worker thread of this process and supervises it as
 * startServiceProcess does a child (same restart policy, same exit-code rules,
 * same readiness probe): `pid` is this process's, stop() asks the service to
 * shut down as SIGTERM would and terminates the thread after the grace,
 * kill() and crash() terminate it at once (a crash is then restarted).
 */
export async function startServiceThread(options: ServiceThreadOptions): Promise<ServiceProcess> {
  exposeGcToThreads();
  const supervised = new ServiceSupervisor(options, () => startWorkerRun(options));
  await supervised.start();
  return supervised;
}

/**
 * The services' idle collection (collectWhenIdle) needs `gc`, which only the
 * host's --expose-gc gives a thread. A host started without it (a test
 * runner) sets the flag now: it takes effect for the isolates created after,
 * that is the threads, and changes nothing else of this one.
 */
function exposeGcToThreads(): void {
  if (typeof (globalThis as { gc?: unknown }).gc === 'function' || process.execArgv.includes('--expose-gc')) return;
  v8.setFlagsFromString('--expose-gc');
}
