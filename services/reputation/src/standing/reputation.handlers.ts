import { z } from 'zod';
import { SUBJECTS, reputationQuerySchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { ReputationService } from './reputation.service.ts';

/** Request/reply subjects of the reputation service. */
export function reputationHandlers(reputation: ReputationService): Record<string, RequestHandler> {
  return {
    [SUBJECTS.reputation.get]: handler(reputationQuerySchema, (input) => reputation.get(input.agent_id)),
    // Takes no input: whatever the caller sends is ignored.
    [SUBJECTS.reputation.stats]: handler(z.unknown(), () => reputation.stats()),
  };
}
