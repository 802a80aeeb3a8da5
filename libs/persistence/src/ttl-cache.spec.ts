import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from './ttl-cache.ts';

describe('TtlCache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a value until its TTL is over', () => {
    const cache = new TtlCache<string>({ ttlMs: 1000, maxEntries: 10 });
    cache.set('a', 'one');
    vi.advanceTimersByTime(1000);
    expect(cache.get('a')).toBe('one');
    vi.advanceTimersByTime(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.has('a')).toBe(false);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('caches null, and nothing at all when turned off', () => {
    const cache = new TtlCache<string | null>({ ttlMs: 1000, maxEntries: 10 });
    cache.set('a', null);
    expect(cache.has('a')).toBe(true);
    expect(cache.get('a')).toBeNull();
    for (const off of [new TtlCache<number>({ ttlMs: 0, maxEntries: 10 }), new TtlCache<number>({ ttlMs: 1000, maxEntries: 0 })]) {
      off.set('a', 1);
      expect(off.get('a')).toBeUndefined();
      expect(off.size).toBe(0);
    }
  });

  it('reads through once, and loads again after an invalidation or the TTL', async () => {
    const cache = new TtlCache<number>({ ttlMs: 1000, maxEntries: 10 });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.read('a', load)).toBe(1);
    expect(await cache.read('a', load)).toBe(1);
    cache.invalidate('a');
    expect(await cache.read('a', load)).toBe(2);
    vi.advanceTimersByTime(1001);
    expect(await cache.read('a', load)).toBe(3);
  });

  it('does not store a value read before an invalidation that arrived during the read', async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    let release: (value: string) => void = () => {};
    const slowRead = cache.read('a', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate('a');
    release('stale');
    expect(await slowRead).toBe('stale');
    expect(cache.has('a')).toBe(false);
    expect(await cache.read('a', async () => 'fresh')).toBe('fresh');
    expect(cache.get('a')).toBe('fresh');
  });

  it('leaves a read of another key alone when one key is invalidated', async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    let release: (value: string) => void = () => {};
    const slowRead = cache.read('b', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate('a');
    release('kept');
    await slowRead;
    expect(cache.get('b')).toBe('kept');
  });

  it('drops every matching value, and keeps reads in flight from storing', async () => {
    const cache = new TtlCache<{ owner: string }>({ ttlMs: 60_000, maxEntries: 10 });
    cache.set('a1', { owner: 'a' });
    cache.set('a2', { owner: 'a' });
    cache.set('b1', { owner: 'b' });
    let release: (value: { owner: string }) => void = () => {};
    const slowRead = cache.read('a3', () => new Promise((resolve) => (release = resolve)));
    cache.invalidateWhere((value) => value.owner === 'a');
    release({ owner: 'a' });
    await slowRead;
    expect([cache.has('a1'), cache.has('a2'), cache.has('a3'), cache.has('b1')]).toEqual([false, false, false, true]);
  });

  it('stores nothing from a failed load', async () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000, maxEntries: 10 });
    await expect(cache.read('a', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.size).toBe(0);
    expect(await cache.read('a', async () => 7)).toBe(7);
  });
});
