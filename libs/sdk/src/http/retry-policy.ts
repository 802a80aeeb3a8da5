/**
 * When a failed attempt is tried again, and after how long. Only failures
 * that leave nothing applied, or that a retry with the same Idempotency-Key
 * makes safe, are retried: no answer at all (network error, timeout), 429
 * and 502/503/504. Any other 4xx means the request itself is wrong and a
 * retry would fail the same way.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` attempts at most). */
  retries: number;
  /** The first backoff; it doubles with each retry. */
  baseDelayMs: number;
  /** No backoff is longer than this. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error goes to the caller. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 300, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

/** The status was not an answer to the request but to the moment: trying again is sound. */
export function isRetryableStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status);
}

/**
 * The wait before retry number `retry` (1-based), or undefined when it should
 * not be tried again. A server's `Retry-After` is honoured as a floor; without
 * one the backoff is exponential, capped, with "equal jitter" (half fixed, half
 * random) so that many clients cut off at once do not return at once.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number | undefined {
  if (retry > policy.retries) return undefined;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  if (retryAfterSeconds === undefined) return Math.round(jittered);
  const serverAsked = retryAfterSeconds * 1000;
  if (serverAsked > policy.maxRetryAfterMs) return undefined;
  // The server's wait plus a little jitter, so that the callers it turned away do not all come back together.
  return Math.round(serverAsked + random() * Math.min(1000, policy.baseDelayMs));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
