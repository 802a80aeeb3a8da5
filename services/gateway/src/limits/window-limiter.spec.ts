import { describe, expect, it } from 'vitest';
import type { Logger } from '@agentmarket/observability';
import { WindowLimiter, type WindowCounters } from './window-limiter.ts';

/** The shared counter's contract in memory: adds up to `wanted`, never past `limit`. */
class MemoryCounters implements WindowCounters {
  readonly counts = new Map<string, number>();
  async add(key: string, wanted: number, limit: number) {
    const current = this.counts.get(key) ?? 0;
    const granted = Math.max(0, Math.min(wanted, limit - current));
    this.counts.set(key, current + granted);
    return { granted, total: current + granted };
  }
}

const quiet = { warn: () => {} } as unknown as Logger;
const limiter = (counters: WindowCounters) => new WindowLimiter({ counters, windowMs: 60_000, name: 'test', logger: quiet });

async function admitted(replicas: WindowLimiter[], requests: number, limit: number, now: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < requests; i++) if ((await (replicas[i % replicas.length] as WindowLimiter).take('ip:1', limit, now)).allowed) count++;
  return count;
}

describe('WindowLimiter', () => {
  it('never admits more than the limit in a window, however many replicas share the counter', async () => {
    const counters = new MemoryCounters();
    const replicas = [limiter(counters), limiter(counters), limiter(counters)];
    const count = await admitted(replicas, 1000, 300, 1_000);
    expect(count).toBeLessThanOrEqual(300);
    // Under-admission is bounded by the leases the other replicas still hold: (R − 1) × (lease − 1).
    expect(count).toBeGreaterThanOrEqual(300 - 2 * (Math.ceil(300 / 20) - 1));
  });

  it('admits the whole of a small limit exactly, and again in the next window, with Retry-After to the window end', async () => {
    const counters = new MemoryCounters();
    const replicas = [limiter(counters), limiter(counters)];
    expect(await admitted(replicas, 50, 20, 1_000)).toBe(20);
    const refused = await (replicas[0] as WindowLimiter).take('ip:1', 20, 1_000);
    expect(refused).toMatchObject({ allowed: false, resetSeconds: 59 });
    expect(await admitted(replicas, 50, 20, 61_000)).toBe(20);
  });

  it('keeps limiting on its own when the shared counter is unreachable', async () => {
    const broken: WindowCounters = { add: async () => Promise.reject(new Error('bus down')) };
    expect(await admitted([limiter(broken)], 50, 10, 1_000)).toBe(10);
  });
});
