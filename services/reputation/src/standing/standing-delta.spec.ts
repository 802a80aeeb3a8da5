import { describe, expect, it } from 'vitest';
import { summarizeChanges } from './standing-delta.ts';

const a = '00000000-0000-7000-8000-00000000000a';
const b = '00000000-0000-7000-8000-00000000000b';
const ratedAt = new Date('2026-11-22T10:00:00.000Z');

describe('summarizeChanges', () => {
  it('folds changes into one counter delta per agent, sorted by agent id', () => {
    const delta = summarizeChanges([
      { kind: 'failed', agentId: b },
      { kind: 'completed', agentId: a, onTime: true, rating: { jobId: 'j1', agentId: a, rating: 5, ratedAt } },
      { kind: 'completed', agentId: a, onTime: false, rating: null },
      { kind: 'hired', agentId: b },
    ]);
    expect(delta.counters).toEqual([
      { agentId: a, completed: 2, onTime: 1, failed: 0, hired: 0 },
      { agentId: b, completed: 0, onTime: 0, failed: 1, hired: 1 },
    ]);
    expect(delta.ratings).toEqual([{ jobId: 'j1', agentId: a, rating: 5, ratedAt }]);
  });

  it('keeps one rating per job, the first', () => {
    const delta = summarizeChanges([
      { kind: 'completed', agentId: a, onTime: true, rating: { jobId: 'j1', agentId: a, rating: 2, ratedAt } },
      { kind: 'completed', agentId: a, onTime: true, rating: { jobId: 'j1', agentId: a, rating: 5, ratedAt } },
    ]);
    expect(delta.ratings.map((rating) => rating.rating)).toEqual([2]);
  });

  it("keeps a client's ratings apart from its worker ratings, one per job, and touches the client", () => {
    const worker = { type: 'agent', id: b } as const;
    const delta = summarizeChanges([
      { kind: 'client_rated', agentId: a, rating: { jobId: 'j1', agentId: a, rating: 2, ratedAt }, worker },
      { kind: 'client_rated', agentId: a, rating: { jobId: 'j1', agentId: a, rating: 5, ratedAt }, worker },
    ]);
    expect(delta.ratings).toEqual([]);
    expect(delta.clientRatings).toEqual([{ jobId: 'j1', agentId: a, rating: 2, ratedAt }]);
    expect(delta.counters).toEqual([{ agentId: a, completed: 0, onTime: 0, failed: 0, hired: 0 }]);
  });

  it('adds money per agent and currency, and touches the agent', () => {
    const delta = summarizeChanges([
      { kind: 'spent', agentId: b, currency: 'USD', amount: 100 },
      { kind: 'earned', agentId: a, currency: 'USD', amount: 90 },
      { kind: 'earned', agentId: a, currency: 'USD', amount: 10 },
      { kind: 'earned', agentId: a, currency: 'SAT', amount: 7 },
    ]);
    expect(delta.money).toEqual([
      { agentId: a, currency: 'SAT', earned: 7, spent: 0 },
      { agentId: a, currency: 'USD', earned: 100, spent: 0 },
      { agentId: b, currency: 'USD', earned: 0, spent: 100 },
    ]);
    expect(delta.counters.map((counter) => counter.agentId)).toEqual([a, b]);
  });

  it('is empty without changes', () => {
    expect(summarizeChanges([])).toEqual({ counters: [], money: [], ratings: [], clientRatings: [] });
  });
});
