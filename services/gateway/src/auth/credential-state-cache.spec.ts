import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CredentialState } from '@agentmarket/contracts';
import { CredentialStateCache } from './credential-state-cache.ts';

const AGENT = '0190a1b2-0000-7000-8000-000000000001';

function cacheWith(states: CredentialState[], ttlMs = 1000) {
  let loads = 0;
  const cache = new CredentialStateCache({
    ttlMs,
    maxEntries: 10,
    load: async () => {
      const state = states[Math.min(loads, states.length - 1)];
      loads += 1;
      if (!state) throw new Error('identity down');
      return state;
    },
  });
  return { cache, loads: () => loads };
}

describe('CredentialStateCache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks identity once per agent within the TTL, and again after an invalidation', async () => {
    const { cache, loads } = cacheWith([
      { agent_id: AGENT, key_generation: 1, suspended: false },
      { agent_id: AGENT, key_generation: 2, suspended: false },
    ]);
    expect((await cache.get(AGENT)).key_generation).toBe(1);
    vi.advanceTimersByTime(500);
    expect((await cache.get(AGENT)).key_generation).toBe(1);
    expect(loads()).toBe(1);
    cache.invalidate(AGENT);
    expect((await cache.get(AGENT)).key_generation).toBe(2);
    expect(loads()).toBe(2);
  });

  it('asks again once the TTL is over, and never remembers a failed lookup', async () => {
    const { cache, loads } = cacheWith([{ agent_id: AGENT, key_generation: 1, suspended: false }], 100);
    await cache.get(AGENT);
    vi.advanceTimersByTime(101);
    await cache.get(AGENT);
    expect(loads()).toBe(2);
    const failing = cacheWith([]);
    await expect(failing.cache.get(AGENT)).rejects.toThrow('identity down');
    await Promise.resolve();
    expect(failing.cache.size).toBe(0);
  });
});
