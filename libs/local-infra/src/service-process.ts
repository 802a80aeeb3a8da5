import { spawnChildRun, type ChildRunOptions } from './child-run.ts';
import { ServiceSupervisor, type ServiceProcess, type SupervisionOptions } from './service-supervisor.ts';

export type { ServiceProcess, SupervisionOptions } from './service-supervisor.ts';

export interface ServiceProcessOptions extends ChildRunOptions, SupervisionOptions {}

/**
 * Runs one service as a child process of this Node binary and supervises it:
 * a child that exits without being asked to (crash, signal, any exit code)
 * is started again after an exponential backoff, until stop() or kill().
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const supervised = new ServiceSupervisor(options, () => spawnChildRun(options));
  await supervised.start();
  return supervised;
}
