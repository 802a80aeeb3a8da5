import { describe, expect, it } from 'vitest';
import { missingProductionSecrets, oneLine, productionRequired } from './process-settings.ts';
import { str } from './settings.ts';

const spec = {
  SECRET: productionRequired(str('a secret', '')),
  PLAIN: str('not a secret', ''),
};

describe('production-required settings', () => {
  it('names a production secret that is unset or empty, only under NODE_ENV=production', () => {
    expect(missingProductionSecrets(spec, { NODE_ENV: 'production' })).toEqual(['SECRET is required when NODE_ENV=production (a secret)']);
    expect(missingProductionSecrets(spec, { NODE_ENV: 'production', SECRET: '  ' })).toHaveLength(1);
    expect(missingProductionSecrets(spec, { NODE_ENV: 'production', SECRET: 'x' })).toEqual([]);
    expect(missingProductionSecrets(spec, {})).toEqual([]);
  });
});

describe('oneLine', () => {
  it('folds a multi-line error into one line', () => {
    expect(oneLine('Invalid account settings:\n  JWT_KEYS is required\n  ADMIN_EMAIL is not an email address')).toBe(
      'Invalid account settings: JWT_KEYS is required; ADMIN_EMAIL is not an email address',
    );
    expect(oneLine('connect ECONNREFUSED\nretry later')).toBe('connect ECONNREFUSED; retry later');
    expect(oneLine('single')).toBe('single');
  });
});
