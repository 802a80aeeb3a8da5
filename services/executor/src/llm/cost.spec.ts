import { describe, expect, it } from 'vitest';
import { costUsd } from './cost.ts';

describe('costUsd', () => {
  it('is zero when the executor has no prices', () => {
    expect(costUsd({ prompt_tokens: 1234, completion_tokens: 567 }, { promptPer1k: '0', completionPer1k: '0' })).toBe('0.000000');
  });

  it('charges prompt and completion tokens at their own per-1k prices', () => {
    // 1000 × 0.0015 / 1000 + 500 × 0.002 / 1000 = 0.0015 + 0.001
    expect(costUsd({ prompt_tokens: 1000, completion_tokens: 500 }, { promptPer1k: '0.0015', completionPer1k: '0.002' })).toBe('0.002500');
    expect(costUsd({ prompt_tokens: 2_000_000, completion_tokens: 1_000_000 }, { promptPer1k: '2.5', completionPer1k: '10' })).toBe('15000.000000');
  });

  it('is exact where floating point is not, and rounds half up to the micro-dollar', () => {
    // 3 × 0.1 / 1000 = 0.0003 exactly (0.1 * 3 is 0.30000000000000004 in floats)
    expect(costUsd({ prompt_tokens: 3, completion_tokens: 0 }, { promptPer1k: '0.1', completionPer1k: '0' })).toBe('0.000300');
    // 1 × 0.0005 / 1000 = 0.0000005 → half a micro-dollar rounds up
    expect(costUsd({ prompt_tokens: 1, completion_tokens: 0 }, { promptPer1k: '0.0005', completionPer1k: '0' })).toBe('0.000001');
    expect(costUsd({ prompt_tokens: 1, completion_tokens: 0 }, { promptPer1k: '0.000499999999', completionPer1k: '0' })).toBe('0.000000');
  });

  it('refuses a price that is not a decimal string', () => {
    expect(() => costUsd({ prompt_tokens: 1, completion_tokens: 1 }, { promptPer1k: '-1', completionPer1k: '0' })).toThrow(/not a USD price/);
    expect(() => costUsd({ prompt_tokens: 1, completion_tokens: 1 }, { promptPer1k: '1e-3', completionPer1k: '0' })).toThrow(/not a USD price/);
  });
});
