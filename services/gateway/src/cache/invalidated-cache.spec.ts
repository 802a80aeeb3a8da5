import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidatedCache } from './invalidated-cache.ts';

describe('InvalidatedCache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a cached value until invalidated or expired', async () => {
    let loads = 0;
    const cache = new InvalidatedCache<number>(1000, 10);
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    cache.invalidate('a');
    expect(await cache.get('a', load)).toBe(2);
    vi.advanceTimersByTime(1001);
    expect(await cache.get('a', load)).toBe(3);
  });

  it('does not store a value read before an invalidation that arrived during the read', async () => {
    const cache = new InvalidatedCache<string>(60_000, 10);
    let release: (value: string) => void = () => {};
    const slowRead = cache.get('a', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate('a');
    release('stale');
    expect(await slowRead).toBe('stale');
    expect(await cache.get('a', async () => 'fresh')).toBe('fresh');
  });

  it('stays within its size', async () => {
    const cache = new InvalidatedCache<number>(60_000, 3);
    for (let i = 0; i < 10; i += 1) await cache.get(String(i), async () => i);
    expect(cache.size).toBe(3);
  });
});
