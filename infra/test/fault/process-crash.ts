import type { ServiceProcess } from '@agentmarket/local-infra';

/** Who brought a crashed process back: the stack's supervisor, or the suite itself when there is none. */
export type Restarter = 'supervisor' | 'suite';

/**
 * Time the supervisor gets to relaunch a crashed process before the suite
 * concludes there is none: its first restart waits 500 ms, and a new pid
 * shows as soon as the child is spawned, well before it is ready.
 */
const SUPERVISOR_GRACE_MS = 5000;

/**
 * A crash, as the kernel would deliver it: SIGKILL straight to the pid, not
 * ServiceProcess.kill(), which tells a supervisor the stop was meant and
 * must not be undone.
 */
export function crash(target: ServiceProcess): number {
  const pid = target.pid;
  if (pid === undefined) throw new Error(`${target.name} has no running process to crash`);
  process.kill(pid, 'SIGKILL');
  return pid;
}

/** Waits until the crashed process runs again (relaunched by the supervisor, or by the suite after the grace period) and is ready. */
export async function awaitRestart(processes: Map<string, ServiceProcess>, name: string, crashedPid: number): Promise<Restarter> {
  const current = () => processes.get(name);
  const deadline = Date.now() + SUPERVISOR_GRACE_MS;
  let restarter: Restarter | undefined;
  while (Date.now() < deadline) {
    const pid = current()?.pid;
    if (pid !== undefined && pid !== crashedPid && isAlive(pid)) {
      restarter = 'supervisor';
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const target = current();
  if (!target) throw new Error(`no process named ${name}`);
  if (restarter === undefined) {
    await target.restart();
    return 'suite';
  }
  await target.waitUntilReady();
  return restarter;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
