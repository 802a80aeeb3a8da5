import { describe, expect, it } from 'vitest';
import type { HostedConfig } from '@agentmarket/contracts';
import { PromptTooLargeError, buildChatRequest, estimatePromptTokens, userMessage } from './prompt.ts';

const hosted: HostedConfig = { model: 'gpt-test', system_prompt: 'You write haiku.', temperature: 0.3, max_tokens: 256, token_budget: 8000 };

describe('the prompt of a hosted job', () => {
  it('is the service prompt as system message and the title and input as user message', () => {
    const request = buildChatRequest(hosted, { title: 'A haiku', input_data: { topic: 'the sea' } });
    expect(request.model).toBe('gpt-test');
    expect(request.temperature).toBe(0.3);
    expect(request.messages).toEqual([
      { role: 'system', content: 'You write haiku.' },
      { role: 'user', content: 'Task: A haiku\n\nInput (JSON):\n{\n  "topic": "the sea"\n}' },
    ]);
  });

  it('leaves the title out when the job has none', () => {
    expect(userMessage({ title: null, input_data: {} })).toBe('Input (JSON):\n{}');
  });

  it("uses the service's max_tokens while the budget has room for it", () => {
    expect(buildChatRequest(hosted, { title: null, input_data: { topic: 'x' } }).max_tokens).toBe(256);
  });

  it('lowers max_tokens so that prompt + completion stay within the token budget', () => {
    const work = { title: null, input_data: { text: 'y'.repeat(400) } };
    const request = buildChatRequest({ ...hosted, token_budget: 200 }, work);
    const prompt = estimatePromptTokens(request.messages);
    expect(prompt).toBeGreaterThan(100);
    expect(request.max_tokens).toBe(200 - prompt);
  });

  it('refuses an input that leaves no room in the budget', () => {
    expect(() => buildChatRequest({ ...hosted, token_budget: 50 }, { title: null, input_data: { text: 'z'.repeat(1000) } })).toThrow(PromptTooLargeError);
  });

  it('estimates at least one token per four characters plus message framing', () => {
    expect(estimatePromptTokens([{ role: 'user', content: 'abcd'.repeat(10) }])).toBe(3 + 4 + 10);
  });
});
