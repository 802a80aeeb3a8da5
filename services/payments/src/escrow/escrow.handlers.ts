import { SUBJECTS, budgetsQuerySchema, abandonHoldCommandSchema, placeHoldCommandSchema, recordModelCostCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { EscrowService } from './escrow.service.ts';

/** Request/reply subjects of escrow: what the jobs service's hire saga and the executor call. */
export function escrowHandlers(escrow: EscrowService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.payments;
  return {
    [subjects.hold]: handler(placeHoldCommandSchema, (input) => escrow.placeHold(input)),
    [subjects.abandon]: handler(abandonHoldCommandSchema, (input) => escrow.abandon(input.hold_id)),
    // The executor's report of a hosted job's model cost, charged to the seller at settlement.
    [subjects.budgets]: handler(budgetsQuerySchema, (input) => escrow.budgets(input.job_ids)),
    [subjects.modelCost]: handler(recordModelCostCommandSchema, (input) => escrow.recordModelCost(input)),
  };
}
