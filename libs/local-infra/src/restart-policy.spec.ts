import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, nextRestartAttempt, restartDelayMs } from './restart-policy.ts';

describe('restart backoff', () => {
  const policy = { initialDelayMs: 500, maxDelayMs: 30_000, resetAfterMs: 10_000 };

  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => restartDelayMs(policy, attempt))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it('stays finite for absurd attempt numbers', () => {
    expect(restartDelayMs(policy, 10_000)).toBe(30_000);
  });

  it('never goes below the initial delay when the cap is set lower', () => {
    expect(restartDelayMs({ ...policy, maxDelayMs: 100 }, 3)).toBe(500);
  });

  it('counts attempts up while runs are short, and starts over after a stable run', () => {
    expect(nextRestartAttempt(policy, 0, undefined)).toBe(1);
    expect(nextRestartAttempt(policy, 3, undefined)).toBe(4);
    expect(nextRestartAttempt(policy, 3, 9_999)).toBe(4);
    expect(nextRestartAttempt(policy, 3, 10_000)).toBe(1);
  });

  it('defaults to 0.5 s doubling to 30 s', () => {
    expect(DEFAULT_RESTART_POLICY.initialDelayMs).toBe(500);
    expect(DEFAULT_RESTART_POLICY.maxDelayMs).toBe(30_000);
  });
});
