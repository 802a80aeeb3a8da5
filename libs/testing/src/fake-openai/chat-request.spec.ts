import { describe, expect, it } from 'vitest';
import { isErrorAnswer, parseChatRequest } from './chat-request.ts';

function rejection(body: unknown) {
  const parsed = parseChatRequest(body);
  if (!isErrorAnswer(parsed)) throw new Error(`expected a rejection of ${JSON.stringify(body)}`);
  return { status: parsed.status, ...parsed.body.error };
}

const user = { role: 'user', content: 'hi' };

describe('chat request validation', () => {
  it('accepts a minimal request and reads the token limit, preferring max_completion_tokens', () => {
    expect(parseChatRequest({ model: 'm', messages: [user] })).toEqual({ model: 'm', messages: [user], maxTokens: undefined, stream: false, streamUsage: false });
    expect(parseChatRequest({ model: 'm', messages: [user], max_tokens: 10 })).toMatchObject({ maxTokens: 10 });
    expect(parseChatRequest({ model: 'm', messages: [user], max_tokens: 10, max_completion_tokens: 4 })).toMatchObject({ maxTokens: 4 });
    expect(parseChatRequest({ model: 'm', messages: [user], stream: true, stream_options: { include_usage: true } })).toMatchObject({ stream: true, streamUsage: true });
  });

  it('joins the text parts of array content and lets an assistant turn go without content', () => {
    const parsed = parseChatRequest({
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'one ' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'two' }] },
        { role: 'assistant', content: null, tool_calls: [] },
      ],
    });
    expect(parsed).toMatchObject({ messages: [{ role: 'user', content: 'one two' }, { role: 'assistant', content: '' }] });
  });

  it('rejects what the real API rejects, naming the parameter', () => {
    expect(rejection([user])).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(rejection({ messages: [user] })).toMatchObject({ message: 'you must provide a model parameter' });
    expect(rejection({ model: 3, messages: [user] })).toMatchObject({ param: 'model', code: 'invalid_type' });
    expect(rejection({ model: 'm' })).toMatchObject({ param: 'messages', code: 'missing_required_parameter' });
    expect(rejection({ model: 'm', messages: 'hi' })).toMatchObject({ param: 'messages', code: 'invalid_type' });
    expect(rejection({ model: 'm', messages: [] })).toMatchObject({ param: 'messages', code: 'empty_array' });
    expect(rejection({ model: 'm', messages: [user, 'hi'] })).toMatchObject({ param: 'messages[1]', code: 'invalid_type' });
    expect(rejection({ model: 'm', messages: [{ role: 'robot', content: 'x' }] })).toMatchObject({ param: 'messages[0].role', code: 'invalid_value' });
    expect(rejection({ model: 'm', messages: [{ role: 'user' }] })).toMatchObject({ param: 'messages[0].content', code: 'missing_required_parameter' });
    expect(rejection({ model: 'm', messages: [{ role: 'user', content: 5 }] })).toMatchObject({ param: 'messages[0].content', code: 'invalid_type' });
    expect(rejection({ model: 'm', messages: [user], max_tokens: 0 })).toMatchObject({ param: 'max_tokens', code: 'integer_below_min_value' });
    expect(rejection({ model: 'm', messages: [user], max_completion_tokens: 1.5 })).toMatchObject({ param: 'max_completion_tokens', code: 'invalid_type' });
    expect(rejection({ model: 'm', messages: [user], temperature: 2.5 })).toMatchObject({ param: 'temperature', code: 'decimal_above_max_value' });
    expect(rejection({ model: 'm', messages: [user], stream: 'yes' })).toMatchObject({ param: 'stream', code: 'invalid_type' });
  });
});
