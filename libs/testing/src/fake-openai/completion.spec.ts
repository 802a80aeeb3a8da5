import { describe, expect, it } from 'vitest';
import type { ChatRequest } from './chat-request.ts';
import { buildAnswer, chatCompletionBody, chatCompletionChunks, defaultContent, estimateTokens } from './completion.ts';

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gpt-test', messages: [{ role: 'user', content: 'hello' }], maxTokens: undefined, stream: false, streamUsage: false, ...overrides };
}

describe('completion builder', () => {
  it('estimates a token per four characters, rounded up', () => {
    expect([estimateTokens(''), estimateTokens('abc'), estimateTokens('abcd'), estimateTokens('abcde')]).toEqual([0, 1, 1, 2]);
  });

  it('answers the last user message, quoting at most 200 characters', () => {
    const long = 'x'.repeat(500);
    const content = defaultContent([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'reply' },
      { role: 'user', content: long },
      { role: 'assistant', content: 'after' },
    ]);
    expect(content).toBe(`Fake answer to: ${'x'.repeat(200)}`);
    expect(defaultContent([{ role: 'system', content: 'only a system prompt' }])).toBe('Fake answer to: ');
  });

  it('counts prompt tokens per message and completion tokens on the answer', () => {
    const answer = buildAnswer(request({ messages: [{ role: 'system', content: 'abcde' }, { role: 'user', content: 'abc' }] }), 'twelve chars');
    expect(answer.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
    expect(answer.finishReason).toBe('stop');
  });

  it('cuts at the token limit and reports length; an answer within the limit is left alone', () => {
    const cut = buildAnswer(request({ maxTokens: 3 }), 'a'.repeat(20));
    expect(cut).toMatchObject({ content: 'a'.repeat(12), finishReason: 'length', usage: { completion_tokens: 3 } });
    const whole = buildAnswer(request({ maxTokens: 5 }), 'a'.repeat(20));
    expect(whole).toMatchObject({ content: 'a'.repeat(20), finishReason: 'stop', usage: { completion_tokens: 5 } });
  });

  it('builds a body with the requested model and one choice', () => {
    const body = chatCompletionBody(request(), buildAnswer(request()), 'chatcmpl-1', 1_700_000_000_500);
    expect(body).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-test',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Fake answer to: hello' }, finish_reason: 'stop' }],
    });
  });

  it('streams chunks that add up to the answer, then the finish reason, then usage only when asked', () => {
    const answer = buildAnswer(request(), ' two  words ');
    const chunks = chatCompletionChunks(request(), answer);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(' two  words ');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    const withUsage = chatCompletionChunks(request({ streamUsage: true }), answer);
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: answer.usage });
  });
});
