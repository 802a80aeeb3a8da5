import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageInDays, formatScore, ratingWeight, reputationScore, type ScoreParameters, type TimedRating } from './reputation-score.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-22T12:00:00.000Z');
const DEFAULTS: ScoreParameters = { priorMean: 3.5, priorWeight: 3, halfLifeDays: 90 };
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY_MS);
const rated = (rating: number, days = 0): TimedRating => ({ rating, ratedAt: daysAgo(days) });

describe('reputationScore', () => {
  it('is 0 (unrated) without ratings', () => {
    expect(reputationScore([], DEFAULTS, NOW)).toBe(0);
    expect(formatScore(reputationScore([], DEFAULTS, NOW))).toBe('0.00');
  });

  it('puts one fresh 5 between the prior and 5: (3·3.5 + 5) / (3 + 1)', () => {
    expect(reputationScore([rated(5)], DEFAULTS, NOW)).toBe(3.875);
    expect(formatScore(reputationScore([rated(5)], DEFAULTS, NOW))).toBe('3.88');
  });

  it('approaches the ratings as they pile up', () => {
    const twenty = Array.from({ length: 20 }, () => rated(5));
    expect(reputationScore(twenty, DEFAULTS, NOW)).toBeCloseTo((3 * 3.5 + 20 * 5) / 23, 10);
    expect(formatScore(reputationScore(twenty, DEFAULTS, NOW))).toBe('4.80');
  });

  it('counts a rating one half-life old half as much as a fresh one', () => {
    expect(ratingWeight(daysAgo(90), NOW, 90)).toBe(0.5);
    expect(ratingWeight(daysAgo(180), NOW, 90)).toBe(0.25);
    // A fresh 1 and a 5 from 90 days ago: (10.5 + 1 + 2.5) / (3 + 1 + 0.5).
    expect(reputationScore([rated(1), rated(5, 90)], DEFAULTS, NOW)).toBeCloseTo(14 / 4.5, 12);
  });

  it('measures age in whole days and never below zero', () => {
    expect(ageInDays(new Date(NOW.getTime() - DAY_MS + 1), NOW)).toBe(0);
    expect(ageInDays(daysAgo(1), NOW)).toBe(1);
    expect(ageInDays(new Date(NOW.getTime() + 5 * DAY_MS), NOW)).toBe(0);
  });

  it('rounds to two decimals within 0.00–5.00', () => {
    expect(formatScore(4.994)).toBe('4.99');
    expect(formatScore(4.996)).toBe('5.00');
    expect(formatScore(5.2)).toBe('5.00');
    expect(formatScore(-1)).toBe('0.00');
  });
});

describe('reputationScore weighs distinct paying counterparties, not ratings', () => {
  const from = (rater: string, rating: number, days = 0): TimedRating => ({ rating, ratedAt: daysAgo(days), rater });

  it('makes 50 fresh 5s from one client weigh like one 5', () => {
    const fifty = Array.from({ length: 50 }, () => from('agent:washer', 5));
    expect(reputationScore(fifty, DEFAULTS, NOW)).toBeCloseTo(reputationScore([from('agent:washer', 5)], DEFAULTS, NOW), 10);
    expect(formatScore(reputationScore(fifty, DEFAULTS, NOW))).toBe('3.88');
  });

  it('lets 20 distinct clients count 20 times: (3·3.5 + 20·5) / 23', () => {
    const twenty = Array.from({ length: 20 }, (_, index) => from(`agent:client-${index}`, 5));
    expect(formatScore(reputationScore(twenty, DEFAULTS, NOW))).toBe('4.80');
  });

  it("averages one rater's ratings within that rater's single weight", () => {
    // One client gave a 5 and a 1 (each weighs ½), another a 4: (10.5 + ½·5 + ½·1 + 4) / (3 + 1 + 1).
    const score = reputationScore([from('agent:a', 5), from('agent:a', 1), from('user:b', 4)], DEFAULTS, NOW);
    expect(score).toBeCloseTo((10.5 + 2.5 + 0.5 + 4) / 5, 10);
  });

  it('keeps the recency decay within a rater, and counts ratings without a rater one each', () => {
    const score = reputationScore([from('agent:a', 5), from('agent:a', 5, 90), rated(2)], DEFAULTS, NOW);
    expect(score).toBeCloseTo((10.5 + 0.5 * 5 + 0.25 * 5 + 2) / (3 + 0.5 + 0.25 + 1), 10);
  });

  it('cannot be pushed up by one client rating more often (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 5 }), (count, others) => {
        const honest = Array.from({ length: others }, (_, index) => from(`agent:other-${index}`, 2));
        const once = reputationScore([...honest, from('agent:washer', 5)], DEFAULTS, NOW);
        const many = reputationScore([...honest, ...Array.from({ length: count }, () => from('agent:washer', 5))], DEFAULTS, NOW);
        expect(many).toBeCloseTo(once, 10);
      }),
    );
  });
});

describe('reputationScore properties', () => {
  const parametersArb = fc.record({
    // Below 5: a prior mean of 5 would hand a newcomer a perfect score by itself.
    priorMean: fc.double({ min: 1, max: 4.95, noNaN: true }),
    priorWeight: fc.double({ min: 0.1, max: 50, noNaN: true }),
    halfLifeDays: fc.integer({ min: 1, max: 3650 }),
  });
  // Ages up to 20 half-lives: older ratings weigh under 1e-6, which doubles cannot tell from nothing next to the prior.
  const daysArb = (parameters: ScoreParameters) => fc.integer({ min: 0, max: 20 * parameters.halfLifeDays });
  const ratingsArb = (parameters: ScoreParameters, minLength = 0) =>
    fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), daysArb(parameters)).map(([rating, days]) => rated(rating, days)), { minLength, maxLength: 60 });
  const scenarioArb = (minLength = 0) =>
    parametersArb.chain((parameters) =>
      fc.record({ parameters: fc.constant(parameters), ratings: ratingsArb(parameters, minLength), days: daysArb(parameters) }),
    );

  it('always lies within 0..5', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ parameters, ratings }) => {
        const score = reputationScore(ratings, parameters, NOW);
        return score >= 0 && score <= 5;
      }),
    );
  });

  it('gives a newcomer with one 5 more than the prior and less than 5', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ parameters, days }) => {
        const score = reputationScore([rated(5, days)], parameters, NOW);
        return score > parameters.priorMean && score < 5;
      }),
    );
  });

  it('rises with every further 5', () => {
    fc.assert(
      fc.property(scenarioArb(1), ({ parameters, ratings, days }) => {
        const before = reputationScore(ratings, parameters, NOW);
        return reputationScore([...ratings, rated(5, days)], parameters, NOW) > before;
      }),
    );
  });

  it('moves further for a recent rating than for an older one of the same value', () => {
    fc.assert(
      fc.property(
        scenarioArb(1),
        fc.integer({ min: 1, max: 5 }),
        fc.record({ recent: fc.double({ min: 0, max: 4, noNaN: true }), gap: fc.double({ min: 0.5, max: 4, noNaN: true }) }),
        ({ parameters, ratings }, value, ages) => {
          const base = reputationScore(ratings, parameters, NOW);
          // Ages in half-lives (whole days), so that the two weights differ by a factor of about 2^0.5 or more.
          const recentDays = Math.round(ages.recent * parameters.halfLifeDays);
          const olderDays = Math.round((ages.recent + ages.gap) * parameters.halfLifeDays);
          fc.pre(olderDays > recentDays && Math.abs(value - base) > 0.01);
          const recentShift = Math.abs(reputationScore([...ratings, rated(value, recentDays)], parameters, NOW) - base);
          const olderShift = Math.abs(reputationScore([...ratings, rated(value, olderDays)], parameters, NOW) - base);
          return recentShift > olderShift;
        },
      ),
    );
  });

  it('does not depend on the order of the ratings', () => {
    fc.assert(
      fc.property(scenarioArb(), ({ parameters, ratings }) => {
        const forward = reputationScore(ratings, parameters, NOW);
        const backward = reputationScore([...ratings].reverse(), parameters, NOW);
        return Math.abs(forward - backward) < 1e-9;
      }),
    );
  });
});
