import { describe, expect, it } from 'vitest';
import { MalformedResponseError, ModelRefusalError } from './call-errors.ts';
import { readChatCompletion } from './chat-completion.ts';
import type { ChatRequest } from './prompt.ts';

const request: ChatRequest = { model: 'asked-model', messages: [{ role: 'user', content: 'x'.repeat(40) }], temperature: 0, max_tokens: 10 };

describe('reading a chat completion', () => {
  it('takes the first choice, the usage and the model that answered', () => {
    const answer = readChatCompletion(
      {
        id: 'chatcmpl-1',
        model: 'gpt-4o-mini-2024',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      },
      request,
    );
    expect(answer).toEqual({
      content: 'Hello',
      model: 'gpt-4o-mini-2024',
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      usageEstimated: false,
      finishReason: 'stop',
    });
  });

  it('estimates the usage when the server sends none', () => {
    const answer = readChatCompletion({ choices: [{ message: { content: 'abcdefgh' } }] }, request);
    expect(answer.model).toBe('asked-model');
    expect(answer.usageEstimated).toBe(true);
    expect(answer.usage).toEqual({ prompt_tokens: 3 + 4 + 10, completion_tokens: 2, total_tokens: 19 });
    expect(answer.finishReason).toBeNull();
  });

  it('calls anything else malformed', () => {
    for (const body of [undefined, 'text', {}, { choices: [] }, { choices: [{ message: {} }] }, { choices: [{ message: { content: 1 } }] }]) {
      expect(() => readChatCompletion(body, request)).toThrow(MalformedResponseError);
    }
  });

  it('tells a refusal apart', () => {
    expect(() => readChatCompletion({ choices: [{ message: { content: null, refusal: 'I cannot help with that' } }] }, request)).toThrow(ModelRefusalError);
  });
});
