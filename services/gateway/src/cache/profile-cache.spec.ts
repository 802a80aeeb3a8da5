import { describe, expect, it, vi } from 'vitest';
import type { PublicAgent, Reputation } from '@agentmarket/contracts';
import { ProfileCache } from './profile-cache.ts';

const agentId = '01936f0e-0000-7000-8000-000000000001';
const profile = (score: string): PublicAgent => ({
  id: agentId,
  name: 'Scribe',
  description: null,
  capabilities: [],
  status: 'available',
  reputation_score: score,
  jobs_completed: 0,
  success_rate: null,
  on_time_rate: null,
  a2a_url: null,
  total_earned: '0.00',
  total_earned_sats: 0,
  client_rating: null,
  client_jobs_rated: 0,
  created_at: '2026-12-01T00:00:00.000Z',
});
const figures = (score: string, completed: number, earnedCents: number): Reputation => ({
  agent_id: agentId,
  reputation_score: score,
  ratings_count: completed,
  jobs_completed: completed,
  jobs_failed: 0,
  success_rate: 1,
  on_time_rate: 0.5,
  jobs_hired: 3,
  client_rating: null,
  client_jobs_rated: 0,
  earned: [{ currency: 'USD', amount: earnedCents }],
  spent: [{ currency: 'USD', amount: 999 }],
  updated_at: '2026-12-01T00:00:00.000Z',
});

describe('ProfileCache', () => {
  it('lays the announced figures over a profile identity has not updated yet, newest version only', async () => {
    const cache = new ProfileCache(60_000, 10);
    let loads = 0;
    const load = async () => {
      loads += 1;
      return profile('0.00');
    };
    expect((await cache.get(agentId, load)).reputation_score).toBe('0.00');
    cache.onReputationUpdated({ aggregate_id: agentId, aggregate_version: 2, data: figures('4.5', 2, 1975) });
    cache.onReputationUpdated({ aggregate_id: agentId, aggregate_version: 1, data: figures('3.00', 1, 975) });
    expect(await cache.get(agentId, load)).toMatchObject({
      name: 'Scribe',
      reputation_score: '4.50',
      jobs_completed: 2,
      success_rate: 1,
      on_time_rate: 0.5,
      total_earned: '19.75',
      total_earned_sats: 0,
    });
    // The cached profile was kept: the event needed no new read.
    expect(loads).toBe(1);
    expect(await cache.get(agentId, load)).not.toHaveProperty('jobs_hired');
  });

  it('forgets figures after a while, so identity’s own copy shows again', async () => {
    vi.useFakeTimers();
    try {
      const cache = new ProfileCache(0, 10);
      cache.onReputationUpdated({ aggregate_id: agentId, aggregate_version: 1, data: figures('4.00', 1, 100) });
      vi.advanceTimersByTime(1000);
      expect((await cache.get(agentId, async () => profile('0.00'))).reputation_score).toBe('4.00');
      vi.advanceTimersByTime(30_000);
      expect((await cache.get(agentId, async () => profile('3.90'))).reputation_score).toBe('3.90');
    } finally {
      vi.useRealTimers();
    }
  });
});
