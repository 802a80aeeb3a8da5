import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, retryDelayMs } from './retry-policy.ts';

const policy = { ...DEFAULT_RETRY_POLICY, retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retry policy', () => {
  it('retries only answers about the moment, never a wrong request', () => {
    for (const status of [429, 502, 503, 504]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [400, 401, 402, 403, 404, 409, 422, 500]) expect(isRetryableStatus(status)).toBe(false);
  });

  it('backs off exponentially with jitter, capped, and stops after the last retry', () => {
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(policy, 1, undefined, () => 1)).toBe(100);
    expect(retryDelayMs(policy, 3, undefined, () => 1)).toBe(400);
    expect(retryDelayMs(policy, 5, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 6, undefined, () => 1)).toBeUndefined();
  });

  it('waits at least what Retry-After asks, and gives up when that is too long', () => {
    expect(retryDelayMs(policy, 1, 2, () => 0)).toBe(2000);
    expect(retryDelayMs(policy, 1, 2, () => 1)).toBeLessThanOrEqual(2100);
    expect(retryDelayMs(policy, 1, 3600, () => 0)).toBeUndefined();
  });
});
