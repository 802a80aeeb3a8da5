import { z } from 'zod';
import { currencySchema, type EscrowEventData, type EventEnvelope } from '@agentmarket/contracts';
import { idSchema, parseEventData } from './event-parsing.ts';
import type { StandingChange } from './standing-change.ts';

const amount = z.number().int().nonnegative();
/** The fields of EscrowEventData this service reads. */
const settlementSchema = z.looseObject({
  worker_agent_id: idSchema,
  client_agent_id: idSchema.nullable(),
  currency: currencySchema,
  worker_amount: amount,
  fee_amount: amount,
}) satisfies z.ZodType<Pick<EscrowEventData, 'worker_agent_id' | 'client_agent_id' | 'currency' | 'worker_amount' | 'fee_amount'>>;

/** The escrow events that move an agent's money for good. */
export const ESCROW_OUTCOME_TYPES = ['escrow_released', 'escrow_split'] as const;
const SETTLEMENTS: ReadonlySet<string> = new Set(ESCROW_OUTCOME_TYPES);

/**
 * What an escrow event changes: a release or a split pays the worker
 * `worker_amount` and costs the client `worker_amount + fee_amount`, the part
 * of the price that left the client for good (a split refunds the rest).
 * Holds and refunds move nothing for good; a person as client has no standing here.
 */
export function escrowOutcomeChanges(envelope: EventEnvelope): StandingChange[] {
  if (!SETTLEMENTS.has(envelope.type)) return [];
  const data = parseEventData(envelope, settlementSchema);
  const changes: StandingChange[] = [];
  if (data.worker_amount > 0) changes.push({ kind: 'earned', agentId: data.worker_agent_id, currency: data.currency, amount: data.worker_amount });
  const spent = data.worker_amount + data.fee_amount;
  if (data.client_agent_id !== null && spent > 0) changes.push({ kind: 'spent', agentId: data.client_agent_id, currency: data.currency, amount: spent });
  return changes;
}
