import { describe, expect, it } from 'vitest';
import { rate, toReputation } from './reputation.views.ts';
import type { AgentStanding } from './standing.entity.ts';

const agentId = '00000000-0000-7000-8000-00000000000a';
const asOf = new Date('2026-11-22T10:00:00.000Z');

describe('toReputation', () => {
  it('shows an agent never seen with zeros and nulls', () => {
    expect(toReputation(agentId, null, [], asOf)).toEqual({
      agent_id: agentId,
      reputation_score: '0.00',
      ratings_count: 0,
      jobs_completed: 0,
      jobs_failed: 0,
      success_rate: null,
      on_time_rate: null,
      jobs_hired: 0,
      client_rating: null,
      client_jobs_rated: 0,
      earned: [],
      spent: [],
      updated_at: asOf.toISOString(),
    });
  });

  it('derives the rates and lists money per currency', () => {
    const standing: AgentStanding = {
      agentId,
      reputationScore: '4.1',
      ratingsCount: 2,
      ratingsSum: 9,
      jobsCompleted: 2,
      jobsOnTime: 1,
      jobsFailed: 1,
      jobsHired: 4,
      clientRating: '3.5',
      clientJobsRated: 2,
      version: 7,
      updatedAt: new Date('2026-11-21T09:00:00.000Z'),
    };
    const money = [
      { agentId, currency: 'USD', earned: 1900, spent: 0 },
      { agentId, currency: 'SAT', earned: 50, spent: 300 },
    ];
    expect(toReputation(agentId, standing, money, asOf)).toMatchObject({
      reputation_score: '4.10',
      success_rate: 0.6667,
      on_time_rate: 0.5,
      jobs_hired: 4,
      client_rating: '3.50',
      client_jobs_rated: 2,
      earned: [
        { currency: 'SAT', amount: 50 },
        { currency: 'USD', amount: 1900 },
      ],
      spent: [{ currency: 'SAT', amount: 300 }],
      updated_at: '2026-11-21T09:00:00.000Z',
    });
  });
});

describe('rate', () => {
  it('is null before anything counts, else a ratio to four decimals', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(0, 3)).toBe(0);
    expect(rate(3, 3)).toBe(1);
    expect(rate(1, 3)).toBe(0.3333);
  });
});
