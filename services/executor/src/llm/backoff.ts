export interface BackoffPolicy {
  /** The first retry's delay; each further retry doubles it. */
  baseMs: number;
  /** Retries allowed after the first attempt. */
  maxRetries: number;
  /** ± this fraction of each step, so that failed jobs do not come back in lockstep. */
  jitter?: number;
}

const DEFAULT_JITTER = 0.2;

/**
 * The delay before retry number `retry` (1-based): base · 2^(retry-1),
 * jittered by ±20 % but never below the base, and never sooner than the
 * provider's Retry-After. Null once the retries are used up.
 */
export function retryDelayMs(retry: number, policy: BackoffPolicy, retryAfterMs: number | null = null, random: () => number = Math.random): number | null {
  if (!Number.isInteger(retry) || retry < 1 || retry > policy.maxRetries) return null;
  const step = policy.baseMs * 2 ** (retry - 1);
  const jitter = policy.jitter ?? DEFAULT_JITTER;
  const jittered = step * (1 + (random() * 2 - 1) * jitter);
  return Math.ceil(Math.max(policy.baseMs, jittered, retryAfterMs ?? 0));
}
