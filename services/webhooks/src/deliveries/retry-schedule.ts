/** A retry schedule from its setting: positive whole seconds, comma-separated, at least one. */
export function parseRetrySchedule(raw: string): number[] {
  const steps = raw.split(',').map((part) => part.trim());
  if (steps.length === 0 || steps.some((step) => !/^\d{1,9}$/.test(step) || Number(step) === 0)) {
    throw new Error('must be a comma-separated list of positive whole seconds, e.g. 5,60,300');
  }
  return steps.map(Number);
}

/**
 * What follows a failed attempt: after attempt n (1-based) the delivery waits
 * schedule[n-1] seconds; once the schedule is used up it has failed for good
 * (a manual retry may still send it again). So a schedule of k steps means
 * k + 1 attempts in all.
 */
export function nextAttemptAfterFailure(schedule: readonly number[], attempts: number, now: Date): Date | undefined {
  const wait = schedule[attempts - 1];
  return wait === undefined ? undefined : new Date(now.getTime() + wait * 1000);
}
