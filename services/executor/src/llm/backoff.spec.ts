import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

const policy = { baseMs: 2000, maxRetries: 5 };
const middle = () => 0.5;
const lowest = () => 0;
const highest = () => 0.999_999;

describe('the backoff schedule', () => {
  it('is 2, 4, 8, 16, 32 s without jitter', () => {
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, policy, null, middle))).toEqual([2000, 4000, 8000, 16_000, 32_000]);
  });

  it('jitters each step by ±20 %, never below the base step', () => {
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, policy, null, lowest))).toEqual([2000, 3200, 6400, 12_800, 25_600]);
    expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, policy, null, highest))).toEqual([2400, 4800, 9600, 19_200, 38_400]);
  });

  it('stays within the jitter band over many draws', () => {
    for (let draw = 0; draw < 1000; draw++) {
      const delay = retryDelayMs(3, policy) ?? 0;
      expect(delay).toBeGreaterThanOrEqual(6400);
      expect(delay).toBeLessThanOrEqual(9600);
    }
  });

  it('never retries sooner than Retry-After', () => {
    expect(retryDelayMs(1, policy, 3000, highest)).toBe(3000);
    expect(retryDelayMs(1, policy, 60_000, middle)).toBe(60_000);
    expect(retryDelayMs(4, policy, 3000, middle)).toBe(16_000);
  });

  it('stops after the last allowed retry', () => {
    expect(retryDelayMs(6, policy, null, middle)).toBeNull();
    expect(retryDelayMs(1, { ...policy, maxRetries: 0 }, null, middle)).toBeNull();
    expect(retryDelayMs(0, policy, null, middle)).toBeNull();
  });

  it('follows a smaller base the same way', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, { baseMs: 100, maxRetries: 3 }, null, middle))).toEqual([100, 200, 400]);
  });
});
