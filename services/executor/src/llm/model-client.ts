import OpenAI from 'openai';
import { CallAbortedError, LlmTimeoutError } from './call-errors.ts';
import { readChatCompletion, type ModelAnswer } from './chat-completion.ts';
import type { ChatRequest } from './prompt.ts';

export interface ModelClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export interface ModelClient {
  /** One chat completion; throws what the retry classifier reads, or CallAbortedError when `shutdown` fires. */
  complete(request: ChatRequest, shutdown: AbortSignal): Promise<ModelAnswer>;
}

/**
 * The official SDK with its own retries off (the executor's policy decides)
 * and a deadline of ours on top of the SDK's timeout: the SDK's stops at the
 * response headers, ours also covers a body that stalls.
 */
export function createModelClient(options: ModelClientOptions): ModelClient {
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0, timeout: options.timeoutMs });
  return {
    async complete(request, shutdown) {
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
      try {
        const body: unknown = await client.chat.completions.create(
          { model: request.model, messages: request.messages, temperature: request.temperature, max_tokens: request.max_tokens },
          { signal: AbortSignal.any([deadline.signal, shutdown]), timeout: options.timeoutMs, maxRetries: 0 },
        );
        return readChatCompletion(body, request);
      } catch (error) {
        if (shutdown.aborted) throw new CallAbortedError();
        if (deadline.signal.aborted) throw new LlmTimeoutError(options.timeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
