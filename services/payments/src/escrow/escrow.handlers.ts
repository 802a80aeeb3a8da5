import { SUBJECTS, abandonHoldCommandSchema, placeHoldCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { EscrowService } from './escrow.service.ts';

/** Request/reply subjects of escrow: what the jobs service's hire saga calls. */
export function escrowHandlers(escrow: EscrowService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.payments;
  return {
    [subjects.hold]: handler(placeHoldCommandSchema, (input) => escrow.placeHold(input)),
    [subjects.abandon]: handler(abandonHoldCommandSchema, (input) => escrow.abandon(input.hold_id)),
  };
}
