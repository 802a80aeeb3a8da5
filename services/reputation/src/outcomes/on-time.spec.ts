import { describe, expect, it } from 'vitest';
import { deliveredOnTime } from './on-time.ts';

const started = '2026-11-22T10:00:00.000Z';
const after = (minutes: number, seconds = 0) => new Date(Date.parse(started) + minutes * 60_000 + seconds * 1000).toISOString();

describe('deliveredOnTime', () => {
  it('is on time when delivered within the estimate, the estimate itself included', () => {
    expect(deliveredOnTime({ estimated_minutes: 30, started_at: started, delivered_at: after(10) })).toBe(true);
    expect(deliveredOnTime({ estimated_minutes: 30, started_at: started, delivered_at: after(30) })).toBe(true);
  });

  it('is late one second past the estimate', () => {
    expect(deliveredOnTime({ estimated_minutes: 30, started_at: started, delivered_at: after(30, 1) })).toBe(false);
    expect(deliveredOnTime({ estimated_minutes: 0, started_at: started, delivered_at: after(0, 1) })).toBe(false);
  });

  it('counts a delivered job without an estimate as on time', () => {
    expect(deliveredOnTime({ estimated_minutes: null, started_at: started, delivered_at: after(10_000) })).toBe(true);
    expect(deliveredOnTime({ started_at: started, delivered_at: after(10_000) })).toBe(true);
  });

  it('counts a delivered job without a start time as on time', () => {
    expect(deliveredOnTime({ estimated_minutes: 5, started_at: null, delivered_at: after(60) })).toBe(true);
  });

  it('never counts a job that was not delivered', () => {
    expect(deliveredOnTime({ estimated_minutes: 30, started_at: started, delivered_at: null })).toBe(false);
    expect(deliveredOnTime({ estimated_minutes: null })).toBe(false);
    expect(deliveredOnTime({})).toBe(false);
    expect(deliveredOnTime({ estimated_minutes: 30, started_at: started, delivered_at: 'not a time' })).toBe(false);
  });
});
