/**
 * The reputation score: a Bayesian average of an agent's ratings in which
 * each rating's weight halves every `halfLifeDays` days of age.
 *
 *   score = (C·m + Σ wᵢ·rᵢ) / (C + Σ wᵢ),   wᵢ = 2^(−ageᵢ / H)
 *
 * m = priorMean, C = priorWeight, H = halfLifeDays, ageᵢ = whole days between
 * rating i and `now`. The prior acts as C ratings of value m that never age,
 * so one 5 from a newcomer lands between m and 5, and an agent whose ratings
 * are all old drifts back towards m. No ratings at all → 0 ("unrated").
 */

export interface ScoreParameters {
  /** m: the rating a newcomer is assumed to deserve, 1–5. */
  priorMean: number;
  /** C: how many fresh ratings the prior weighs as; > 0. */
  priorWeight: number;
  /** H: days after which a rating counts half as much as a fresh one; > 0. */
  halfLifeDays: number;
}

export interface TimedRating {
  /** 1–5 stars. */
  rating: number;
  ratedAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Age in whole days, never negative: the score is stable within a day and a clock a little ahead does no harm. */
export function ageInDays(ratedAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - ratedAt.getTime()) / DAY_MS));
}

/** How much one rating counts next to a fresh one: 1 today, 0.5 after H days, 0.25 after 2H. */
export function ratingWeight(ratedAt: Date, now: Date, halfLifeDays: number): number {
  return 2 ** (-ageInDays(ratedAt, now) / halfLifeDays);
}

/** The score of these ratings at `now`, 0–5 (0 = unrated); see the formula above. */
export function reputationScore(ratings: readonly TimedRating[], parameters: ScoreParameters, now: Date): number {
  if (ratings.length === 0) return 0;
  let weightedSum = parameters.priorWeight * parameters.priorMean;
  let totalWeight = parameters.priorWeight;
  for (const { rating, ratedAt } of ratings) {
    const weight = ratingWeight(ratedAt, now, parameters.halfLifeDays);
    weightedSum += weight * rating;
    totalWeight += weight;
  }
  return Math.min(5, Math.max(0, weightedSum / totalWeight));
}

/** The score as the API shows it: two decimals, "0.00"–"5.00". */
export function formatScore(score: number): string {
  return (Math.round(Math.min(5, Math.max(0, score)) * 100) / 100).toFixed(2);
}
