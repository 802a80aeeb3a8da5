import { z } from 'zod';
import { MalformedResponseError, ModelRefusalError } from './call-errors.ts';
import type { TokenUsage } from './cost.ts';
import { estimatePromptTokens, type ChatRequest } from './prompt.ts';

const tokens = z.number().int().nonnegative();

/** The part of a chat completion the executor reads; anything else the provider adds is ignored. */
const chatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: tokens, completion_tokens: tokens, total_tokens: tokens.optional() }).nullable().optional(),
});

export interface ModelAnswer {
  content: string;
  /** The model that answered, as the provider names it (falls back to the one asked for). */
  model: string;
  usage: TokenUsage;
  /** True when the provider sent no usage and the figures are the executor's estimate. */
  usageEstimated: boolean;
  finishReason: string | null;
}

/** Reads a provider's 2xx body as an answer, or throws MalformedResponseError / ModelRefusalError. */
export function readChatCompletion(body: unknown, request: ChatRequest): ModelAnswer {
  const parsed = chatCompletionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedResponseError(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unreadable body');
  }
  const completion = parsed.data;
  const choice = completion.choices[0];
  if (!choice) throw new MalformedResponseError('no choices');
  const content = choice.message.content;
  if (typeof content !== 'string') {
    if (choice.message.refusal) throw new ModelRefusalError(choice.message.refusal);
    throw new MalformedResponseError('choices.0.message.content is missing');
  }
  const usage = completion.usage;
  const promptTokens = usage?.prompt_tokens ?? estimatePromptTokens(request.messages);
  const completionTokens = usage?.completion_tokens ?? Math.ceil(content.length / 4);
  return {
    content,
    model: completion.model || request.model,
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: usage?.total_tokens ?? promptTokens + completionTokens },
    usageEstimated: !usage,
    finishReason: choice.finish_reason ?? null,
  };
}
