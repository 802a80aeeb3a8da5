import { randomBytes } from 'node:crypto';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatMessage, ChatRequest } from './chat-request.ts';

const ANSWER_PREFIX = 'Fake answer to: ';
const QUOTED_CHARS = 200;

/** The fake's token count: a quarter of the characters, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The deterministic default answer, derived from the last user message. */
export function defaultContent(messages: ChatMessage[]): string {
  const lastUser = messages.findLast((message) => message.role === 'user');
  return `${ANSWER_PREFIX}${(lastUser?.content ?? '').slice(0, QUOTED_CHARS)}`;
}

/** The text, usage and finish reason of one answer, cut at the token limit when there is one. */
export interface Answer {
  content: string;
  finishReason: 'stop' | 'length';
  usage: CompletionUsage;
}

/** Works out the answer to a request: the given content (or the default), cut at max tokens. */
export function buildAnswer(request: ChatRequest, content: string = defaultContent(request.messages)): Answer {
  const cut = request.maxTokens !== undefined && estimateTokens(content) > request.maxTokens;
  const text = cut ? content.slice(0, (request.maxTokens ?? 0) * 4) : content;
  const promptTokens = request.messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
  const completionTokens = estimateTokens(text);
  return {
    content: text,
    finishReason: cut ? 'length' : 'stop',
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  };
}

/** An id in the shape the real API uses. */
export function completionId(): string {
  return `chatcmpl-${randomBytes(15).toString('base64url')}`;
}

/** The body of a non-streamed answer, typed by the SDK so that it parses exactly like the real one. */
export function chatCompletionBody(request: ChatRequest, answer: Answer, id = completionId(), now = Date.now()): ChatCompletion {
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(now / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.content, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage: answer.usage,
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/** The chunks of a streamed answer: the role, the text in word-sized pieces, the finish reason, then usage when asked for. */
export function chatCompletionChunks(request: ChatRequest, answer: Answer, id = completionId(), now = Date.now()): ChatCompletionChunk[] {
  const base = { id, object: 'chat.completion.chunk' as const, created: Math.floor(now / 1000), model: request.model, system_fingerprint: 'fp_fake' };
  const pieces = answer.content.match(/\s*\S+\s*/g) ?? [];
  return [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
    ...pieces.map((piece): ChatCompletionChunk => ({ ...base, choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: answer.finishReason }] },
    ...(request.streamUsage ? [{ ...base, choices: [], usage: answer.usage }] : []),
  ];
}
