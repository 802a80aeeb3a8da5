/**
 * The reputation score: a Bayesian average of an agent's ratings in which
 * each rating's weight halves every `halfLifeDays` days of age, and each
 * rater's ratings share one rater's weight.
 *
 *   score = (C·m + Σ wᵢ·rᵢ) / (C + Σ wᵢ),   wᵢ = 2^(−ageᵢ / H) / nᵢ
 *
 * m = priorMean, C = priorWeight, H = halfLifeDays, ageᵢ = whole days between
 * rating i and `now`, nᵢ = how many of the ratings read came from rating i's
 * rater (the paying client's owner). The prior acts as C ratings of value m
 * that never age, so one 5 from a newcomer lands between m and 5, and an
 * agent whose ratings are all old drifts back towards m; fifty 5s from one
 * client weigh like one 5, so only distinct counterparties build a score.
 * No ratings at all → 0 ("unrated").
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
  /** Who gave it (the client's owner root); absent or null = a rater of its own (ratings from before raters were kept). */
  rater?: string | null;
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
  // Summed per rater first and divided once, so n equal ratings from one rater weigh exactly like one.
  const byRater = new Map<string | TimedRating, { sum: number; weight: number; count: number }>();
  for (const entry of ratings) {
    const key = entry.rater ?? entry;
    const group = byRater.get(key) ?? { sum: 0, weight: 0, count: 0 };
    const weight = ratingWeight(entry.ratedAt, now, parameters.halfLifeDays);
    group.sum += weight * entry.rating;
    group.weight += weight;
    group.count += 1;
    byRater.set(key, group);
  }
  let weightedSum = parameters.priorWeight * parameters.priorMean;
  let totalWeight = parameters.priorWeight;
  for (const group of byRater.values()) {
    weightedSum += group.sum / group.count;
    totalWeight += group.weight / group.count;
  }
  return Math.min(5, Math.max(0, weightedSum / totalWeight));
}

/** The score as the API shows it: two decimals, "0.00"–"5.00". */
export function formatScore(score: number): string {
  return (Math.round(Math.min(5, Math.max(0, score)) * 100) / 100).toFixed(2);
}
