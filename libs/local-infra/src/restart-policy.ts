/**
 * How a supervisor spaces out restarts of a process that keeps exiting:
 * exponential backoff, so a crash loop does not burn the CPU or flood the
 * logs, capped so a process that recovers is not left down for long, and
 * forgotten once a run has lasted, so an occasional crash restarts quickly.
 */
export interface RestartPolicy {
  /** Delay before the first restart after a stable run. */
  initialDelayMs: number;
  /** Upper bound of the doubling delay. */
  maxDelayMs: number;
  /** A process that stayed ready this long starts again from `initialDelayMs` when it next exits. */
  resetAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  resetAfterMs: 30_000,
};

/** The delay before restart attempt `attempt` (1 = the first restart after a stable run). */
export function restartDelayMs(policy: RestartPolicy, attempt: number): number {
  const doublings = Math.max(0, attempt - 1);
  // 2 ** 60 is already beyond any cap; bounding the exponent keeps the arithmetic finite.
  const uncapped = policy.initialDelayMs * 2 ** Math.min(doublings, 60);
  return Math.min(uncapped, Math.max(policy.maxDelayMs, policy.initialDelayMs));
}

/** The attempt number of the next restart, given the last one and how long the exited run stayed ready. */
export function nextRestartAttempt(policy: RestartPolicy, previousAttempt: number, readyForMs: number | undefined): number {
  const stable = readyForMs !== undefined && readyForMs >= policy.resetAfterMs;
  return (stable ? 0 : previousAttempt) + 1;
}
