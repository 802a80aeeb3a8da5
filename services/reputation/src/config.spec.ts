import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '@agentmarket/config';
import { reputationSettings, scoringSettings } from './config.ts';

/** The variables a configuration names as bad, in declaration order. */
function badVariables(env: Record<string, string>): string[] {
  try {
    loadSettings(reputationSettings, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => problem.split('=')[0] ?? problem);
  }
}

describe('reputation settings', () => {
  it('default to m = 3.5, C = 3, H = 90 days and the last 1000 ratings', () => {
    expect(scoringSettings(loadSettings(reputationSettings, {}))).toEqual({ priorMean: 3.5, priorWeight: 3, halfLifeDays: 90, maxRatings: 1000 });
  });

  it('take decimals for the prior', () => {
    const settings = loadSettings(reputationSettings, { REPUTATION_PRIOR_MEAN: '3.25', REPUTATION_PRIOR_WEIGHT: '0.5' });
    expect([settings.REPUTATION_PRIOR_MEAN, settings.REPUTATION_PRIOR_WEIGHT]).toEqual([3.25, 0.5]);
  });

  it('refuse a prior that would defeat its purpose, naming each bad variable', () => {
    expect(badVariables({ REPUTATION_PRIOR_MEAN: '5', REPUTATION_PRIOR_WEIGHT: '0', REPUTATION_HALF_LIFE_DAYS: 'soon', REPUTATION_MAX_RATINGS: '0' })).toEqual([
      'REPUTATION_PRIOR_MEAN',
      'REPUTATION_PRIOR_WEIGHT',
      'REPUTATION_HALF_LIFE_DAYS',
      'REPUTATION_MAX_RATINGS',
    ]);
    expect(badVariables({ REPUTATION_PRIOR_MEAN: 'high', REPUTATION_PRIOR_WEIGHT: '-1' })).toEqual(['REPUTATION_PRIOR_MEAN', 'REPUTATION_PRIOR_WEIGHT']);
    expect(badVariables({ REPUTATION_PRIOR_MEAN: '1', REPUTATION_PRIOR_WEIGHT: '1000' })).toEqual([]);
  });
});
