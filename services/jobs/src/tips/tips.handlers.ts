import { SUBJECTS, tipJobCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { Tips } from './tips.service.ts';

/** Request/reply subjects of tips: the gateway's POST /api/jobs/{id}/tip. */
export function tipHandlers(tips: Tips): Record<string, RequestHandler> {
  return {
    [SUBJECTS.jobs.tip]: handler(tipJobCommandSchema, (input, context) => tips.tip(input, context.requestId)),
  };
}
