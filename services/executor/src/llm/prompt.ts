import type { HostedConfig, LlmWork } from '@agentmarket/contracts';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  max_tokens: number;
}

/** Why a job cannot be sent to the model at all (a permanent failure, no call is made). */
export class PromptTooLargeError extends Error {
  constructor(estimatedPromptTokens: number, tokenBudget: number) {
    super(`The job's input (about ${estimatedPromptTokens} tokens with the system prompt) leaves no room within the service's token budget of ${tokenBudget}`);
    this.name = 'PromptTooLargeError';
  }
}

// No tokenizer ships with the executor: ~4 characters per token is the usual estimate for English text,
// plus the few tokens each chat message costs in framing.
const CHARS_PER_TOKEN = 4;
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REQUEST = 3;

/** The user message: the job's title and its input data as JSON. */
export function userMessage(work: Pick<LlmWork, 'title' | 'input_data'>): string {
  const task = work.title ? `Task: ${work.title}\n\n` : '';
  return `${task}Input (JSON):\n${JSON.stringify(work.input_data, null, 2)}`;
}

/** A rough upper estimate of the prompt's tokens, for keeping the completion within the budget. */
export function estimatePromptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + TOKENS_PER_MESSAGE + Math.ceil(message.content.length / CHARS_PER_TOKEN), TOKENS_PER_REQUEST);
}

/**
 * The chat request for one hosted job: the service's system prompt, the
 * job's title and input, the service's model and temperature, and a
 * completion limit that never lets prompt + completion exceed the token budget.
 */
export function buildChatRequest(hosted: HostedConfig, work: Pick<LlmWork, 'title' | 'input_data'>): ChatRequest {
  const messages: ChatMessage[] = [
    { role: 'system', content: hosted.system_prompt },
    { role: 'user', content: userMessage(work) },
  ];
  const promptTokens = estimatePromptTokens(messages);
  const room = hosted.token_budget - promptTokens;
  if (room < 1) throw new PromptTooLargeError(promptTokens, hosted.token_budget);
  return { model: hosted.model, messages, temperature: hosted.temperature, max_tokens: Math.min(hosted.max_tokens, room) };
}
