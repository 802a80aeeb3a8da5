import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE } from '../config.ts';
import { nextAttemptAfterFailure, parseRetrySchedule } from './retry-schedule.ts';

describe('retry schedule', () => {
  it('spans at least 24 hours by default', () => {
    const schedule = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
    expect(schedule.reduce((sum, step) => sum + step, 0)).toBeGreaterThanOrEqual(24 * 3600);
  });

  it('waits the step of the attempt that failed, then gives up', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(nextAttemptAfterFailure([5, 60], 1, now)?.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    expect(nextAttemptAfterFailure([5, 60], 2, now)?.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(nextAttemptAfterFailure([5, 60], 3, now)).toBeUndefined();
  });

  it('refuses a malformed list', () => {
    for (const bad of ['', '5,,6', '0', '-1', '1.5', 'abc']) expect(() => parseRetrySchedule(bad)).toThrow();
    expect(parseRetrySchedule(' 1, 2 ,3')).toEqual([1, 2, 3]);
  });
});
