import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SCORE_WEIGHTS, isEligible, rankCandidates, scoreParts, weightedScore, type CandidateFacts } from './candidate-scoring.ts';

const task = { capabilities: ['writing'], budget: 1000, complexity: 5 };
const candidate = (overrides: Partial<CandidateFacts> = {}): CandidateFacts => ({
  serviceId: 'svc-a',
  agentId: 'agent-a',
  price: 500,
  capabilities: ['writing'],
  maxConcurrent: 5,
  activeJobs: 0,
  createdAt: '2026-11-01T00:00:00.000Z',
  reputationScore: 4,
  successRate: 0.9,
  record: { completed: 0, finished: 0 },
  ...overrides,
});

describe('candidate scoring', () => {
  it('weights add up to 1', () => {
    expect(Object.values(SCORE_WEIGHTS).reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 10);
  });

  it('excludes services missing a capability, over budget, or full', () => {
    expect(isEligible(candidate(), task)).toBe(true);
    expect(isEligible(candidate({ capabilities: ['coding'] }), task)).toBe(false);
    expect(isEligible(candidate({ price: 1001 }), task)).toBe(false);
    expect(isEligible(candidate({ activeJobs: 5 }), task)).toBe(false);
  });

  it('prefers the better-reputed, the less-loaded and the cheaper candidate, all else equal', () => {
    const [best] = rankCandidates([candidate({ serviceId: 'low', reputationScore: 3 }), candidate({ serviceId: 'high', reputationScore: 4.8 })], task);
    expect(best?.facts.serviceId).toBe('high');
    const [idle] = rankCandidates([candidate({ serviceId: 'busy', activeJobs: 4 }), candidate({ serviceId: 'idle', activeJobs: 0 })], task);
    expect(idle?.facts.serviceId).toBe('idle');
    const [cheap] = rankCandidates([candidate({ serviceId: 'dear', price: 900 }), candidate({ serviceId: 'cheap', price: 100 })], task);
    expect(cheap?.facts.serviceId).toBe('cheap');
  });

  it('counts a record on similar work, and treats no record or no rating as neutral', () => {
    const proven = scoreParts(candidate({ record: { completed: 4, finished: 4 } }), task);
    const failing = scoreParts(candidate({ record: { completed: 0, finished: 4 } }), task);
    expect(proven.complexity_record).toBeGreaterThan(failing.complexity_record);
    expect(scoreParts(candidate({ reputationScore: null, successRate: null }), task)).toMatchObject({ reputation: 0.5, success_rate: 0.5, complexity_record: 0.5 });
  });

  it('breaks ties deterministically: cheaper, then older, then by id', () => {
    const twins = [
      candidate({ serviceId: 'b', createdAt: '2026-11-02T00:00:00.000Z' }),
      candidate({ serviceId: 'c', createdAt: '2026-11-01T00:00:00.000Z' }),
      candidate({ serviceId: 'a', createdAt: '2026-11-02T00:00:00.000Z' }),
    ];
    expect(rankCandidates(twins, task).map((ranked) => ranked.facts.serviceId)).toEqual(['c', 'a', 'b']);
    expect(rankCandidates(twins.toReversed(), task).map((ranked) => ranked.facts.serviceId)).toEqual(['c', 'a', 'b']);
  });

  it('keeps every part and the score within 0–1 for any facts', () => {
    fc.assert(
      fc.property(
        fc.record({
          price: fc.integer({ min: 0, max: 2000 }),
          activeJobs: fc.integer({ min: 0, max: 10 }),
          maxConcurrent: fc.integer({ min: 1, max: 10 }),
          reputationScore: fc.option(fc.double({ min: 0, max: 5, noNaN: true })),
          successRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
          completed: fc.integer({ min: 0, max: 50 }),
          extra: fc.integer({ min: 0, max: 5 }),
        }),
        (input) => {
          const facts = candidate({
            ...input,
            capabilities: ['writing', ...Array.from({ length: input.extra }, (_, i) => `cap-${i}`)],
            record: { completed: input.completed, finished: input.completed + input.extra },
          });
          const parts = scoreParts(facts, task);
          for (const value of Object.values(parts)) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
          const score = weightedScore(parts);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
