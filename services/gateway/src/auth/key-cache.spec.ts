import { describe, expect, it, vi } from 'vitest';
import { KeyCache } from './key-cache.ts';

const principal = (agent: string) => ({ agent_id: agent, name: agent, key_id: `${agent}-key` });

describe('KeyCache', () => {
  it('expires entries after the TTL', () => {
    vi.useFakeTimers();
    try {
      const cache = new KeyCache(1000, 10);
      cache.set('k', principal('a'));
      vi.advanceTimersByTime(999);
      expect(cache.get('k')).toEqual(principal('a'));
      vi.advanceTimersByTime(2);
      expect(cache.get('k')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets every key of an agent on revocation', () => {
    const cache = new KeyCache(60_000, 10);
    cache.set('k1', principal('a'));
    cache.set('k2', principal('a'));
    cache.set('k3', principal('b'));
    cache.revokeAgent('a');
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.get('k3')).toEqual(principal('b'));
  });

  it('evicts the oldest entry when full', () => {
    const cache = new KeyCache(60_000, 2);
    cache.set('k1', principal('a'));
    cache.set('k2', principal('b'));
    cache.set('k3', principal('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k3')).toEqual(principal('c'));
  });

  it('digests keys so none is held in clear', () => {
    expect(KeyCache.digest('agmkt_sk_secret')).not.toContain('secret');
  });
});
