import { busSettings, commonSettings, consumerSettings, databaseSettings, int, type SettingsOf } from '@agentmarket/config';
import type { ScoringSettings } from './standing/standing-changes.service.ts';
import { decimal } from './decimal-setting.ts';

export const reputationSettings = {
  ...commonSettings,
  ...databaseSettings,
  ...busSettings,
  ...consumerSettings,
  REPUTATION_PRIOR_MEAN: decimal('rating a newcomer is assumed to deserve before any rating (m of the score)', 3.5, { atLeast: 1, below: 5 }),
  REPUTATION_PRIOR_WEIGHT: decimal('how many fresh ratings the prior weighs as (C of the score)', 3, { above: 0, atMost: 1000 }),
  REPUTATION_HALF_LIFE_DAYS: int('days after which a rating counts half as much as a fresh one (H of the score)', 90, { min: 1, max: 36_500 }),
  REPUTATION_MAX_RATINGS: int('most recent ratings of an agent the score reads', 1000, { min: 1, max: 100_000 }),
  REPUTATION_ANNOUNCE_INTERVAL_MS: int(
    'least time between two reputation_updated of one agent: a change within it is announced when the interval ends, with the figures as they then stand (0 = every change at once)',
    1000,
    { min: 0, max: 60_000 },
  ),
};

export type ReputationSettings = SettingsOf<typeof reputationSettings>;

/** The score's parameters from the settings. */
export function scoringSettings(settings: Pick<ReputationSettings, 'REPUTATION_PRIOR_MEAN' | 'REPUTATION_PRIOR_WEIGHT' | 'REPUTATION_HALF_LIFE_DAYS' | 'REPUTATION_MAX_RATINGS'>): ScoringSettings {
  return {
    priorMean: settings.REPUTATION_PRIOR_MEAN,
    priorWeight: settings.REPUTATION_PRIOR_WEIGHT,
    halfLifeDays: settings.REPUTATION_HALF_LIFE_DAYS,
    maxRatings: settings.REPUTATION_MAX_RATINGS,
  };
}
