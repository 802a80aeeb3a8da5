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
      LLM_PRICE_PROMPT_PER_1K_USD: '0',
      LLM_PRICE_COMPLETION_PER_1K_USD: '0',
      LLM_WORK_ACK_WAIT_SECONDS: 60,
    });
  });

  it('keep prices as exact decimal strings and refuse anything else', () => {
    expect(loadSettings(executorSettings, { LLM_PRICE_PROMPT_PER_1K_USD: ' 0.00015 ' }).LLM_PRICE_PROMPT_PER_1K_USD).toBe('0.00015');
    try {
      loadSettings(executorSettings, { LLM_PRICE_PROMPT_PER_1K_USD: '-1', LLM_PRICE_COMPLETION_PER_1K_USD: '1e-3', OPENAI_BASE_URL: 'not a url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((problem) => problem.split('=')[0])).toEqual([
        'OPENAI_BASE_URL',
        'LLM_PRICE_PROMPT_PER_1K_USD',
        'LLM_PRICE_COMPLETION_PER_1K_USD',
      ]);
    }
  });
});
