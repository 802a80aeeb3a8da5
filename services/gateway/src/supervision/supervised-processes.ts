/**
 * What the supervisor (npm start, the test harness) last said about processes
 * that exited on their own and are not back yet. Empty without a supervisor
 * (compose, Kubernetes), where /readyz relies on its pings alone.
 */
export interface RestartingProcess {
  attempt: number;
  /** Epoch ms of the pending restart; null once relaunched and waiting to be ready. */
  nextRestartAt: number | null;
}

let restarting = new Map<string, RestartingProcess>();

export function replaceRestartingProcesses(processes: Map<string, RestartingProcess>): void {
  restarting = processes;
}

/** The /readyz check value of each restarting process, e.g. "restarting (attempt 3, next in 2.0 s)". */
export function restartingChecks(now = Date.now()): Record<string, string> {
  const checks: Record<string, string> = {};
  for (const [name, process] of restarting) checks[name] = describeRestart(process, now);
  return checks;
}

function describeRestart(process: RestartingProcess, now: number): string {
  if (process.nextRestartAt === null) return `restarting (attempt ${process.attempt}, starting)`;
  const seconds = Math.max(0, process.nextRestartAt - now) / 1000;
  return `restarting (attempt ${process.attempt}, next in ${seconds.toFixed(1)} s)`;
}
