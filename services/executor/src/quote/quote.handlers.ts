import { SUBJECTS, hostedQuoteCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import { quoteHosted, type QuotePolicy } from './hosted-quote.ts';

/** executor.hosted.quote: answered from settings alone, so it works with no model key configured. */
export function quoteHandlers(policy: QuotePolicy): Record<string, RequestHandler> {
  return { [SUBJECTS.executor.quote]: handler(hostedQuoteCommandSchema, async (input) => quoteHosted(input, policy)) };
}
