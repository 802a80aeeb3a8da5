/**
 * What a supervised process is doing, as the supervisor sees it.
 * - starting: launched by start() or restart(), not ready yet (a failure here is reported, not retried)
 * - running: answered its readiness URL
 * - restarting: exited without being asked to; waiting out the backoff (`nextRestartAt`) or relaunched and not ready yet
 * - stopped: stopped or killed on purpose; no restart until restart() is called
 */
export type SupervisionStatus = 'starting' | 'running' | 'restarting' | 'stopped';

export interface SupervisionState {
  status: SupervisionStatus;
  /** The live child's pid; undefined while none runs. */
  pid: number | undefined;
  /** Unasked exits since the last stable run (the restart attempt under way or next). */
  attempt: number;
  /** When the pending restart happens (epoch ms); null unless waiting out a backoff. */
  nextRestartAt: number | null;
  /** How the last child ended ("signal SIGKILL", "exit code 1"); null before any exit. */
  lastExit: string | null;
  /** Relaunches the supervisor has made since the process was started. */
  restarts: number;
}
