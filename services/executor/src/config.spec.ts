import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '@agentmarket/config';
import { executorSettings } from './config.ts';

describe('executor settings', () => {
  it('default to OpenAI without a key, 8 calls in flight and the retry policy of DESIGN.md', () => {
    const settings = loadSettings(executorSettings, {});
    expect(settings).toMatchObject({
      OPENAI_BASE_URL: 'https://api.openai.com/v1',
      OPENAI_API_KEY: '',
      EXECUTOR_CONCURRENCY: 8,
      LLM_TIMEOUT_MS: 60_000,
      LLM_RETRY_BASE_MS: 2000,
      LLM_MAX_RETRIES: 5,
      CIRCUIT_FAILURE_THRESHOLD: 5,
      CIRCUIT_OPEN_MS: 30_000,
      HOSTED_MAX_TOKEN_BUDGET: 8000,
      HOSTED_SELLER_DAILY_CAP_USD: 10_000_000,
      PLATFORM_FEE_BPS: 250,
      PLATFORM_MIN_FEE_USD_CENTS: 5,
      LLM_WORK_ACK_WAIT_SECONDS: 60,
    });
  });

  it('read the hosted models with exact per-1k prices, model names with colons included', () => {
    const { HOSTED_MODELS } = loadSettings(executorSettings, { HOSTED_MODELS: ' gpt-4o-mini:0.00015:0.0006 , llama3.2:3b:0:0 ' });
    expect([...HOSTED_MODELS]).toEqual([
      ['gpt-4o-mini', { promptPer1k: '0.00015', completionPer1k: '0.0006' }],
      ['llama3.2:3b', { promptPer1k: '0', completionPer1k: '0' }],
    ]);
    expect([...loadSettings(executorSettings, {}).HOSTED_MODELS.keys()]).toEqual(['gpt-4o-mini', 'gpt-4o']);
  });

  it('refuse bad model lists and bad amounts, and the retired single prices, naming each variable', () => {
    try {
      loadSettings(executorSettings, {
        HOSTED_MODELS: 'gpt-4o-mini:-1:1e-3',
        HOSTED_SELLER_DAILY_CAP_USD: 'ten',
        LLM_PRICE_PROMPT_PER_1K_USD: '0.5',
        OPENAI_BASE_URL: 'not a url',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((problem) => problem.split('=')[0])).toEqual([
        'OPENAI_BASE_URL',
        'HOSTED_MODELS',
        'HOSTED_SELLER_DAILY_CAP_USD',
        'LLM_PRICE_PROMPT_PER_1K_USD',
      ]);
      expect(problems.find((problem) => problem.startsWith('LLM_PRICE_PROMPT'))).toContain('HOSTED_MODELS');
    }
    expect(() => loadSettings(executorSettings, { HOSTED_MODELS: 'a:1:1,a:2:2' })).toThrow(ConfigError);
  });
});
