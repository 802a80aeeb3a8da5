import { SYSTEM_ACTOR, type Actor, type Currency, type EscrowEventData } from '@agentmarket/contracts';
import type { NewEvent } from '@agentmarket/persistence';
import { ownerOfKey } from '../ledger/owner-key.ts';
import type { SettlementAmounts, SettlementOutcome } from './settlement-math.ts';

/** What an escrow event says about one hold that holds money. */
export interface FundedHold {
  holdId: string;
  payerKey: string;
  payeeAgentId: string;
  currency: Currency;
  amount: number;
}

const SETTLED_EVENT = { release: 'escrow_released', refund: 'escrow_refunded', split: 'escrow_split' } as const;

/** `escrow_held`: the payer's money is in escrow for the job (version 1 of the hold). */
export function escrowHeldEvent(hold: FundedHold): NewEvent {
  const payer = ownerOfKey(hold.payerKey);
  const actor: Actor = payer ? { type: payer.type, id: payer.id } : SYSTEM_ACTOR;
  return { type: 'escrow_held', aggregateId: hold.holdId, aggregateVersion: 1, actor, data: escrowEventData(hold, { workerAmount: 0, clientAmount: 0, feeAmount: 0 }) };
}

/** `escrow_released` / `escrow_refunded` / `escrow_split`: where the hold's money went (version 2, the last). */
export function escrowSettledEvent(hold: FundedHold, outcome: SettlementOutcome['kind'], amounts: SettlementAmounts): NewEvent {
  return { type: SETTLED_EVENT[outcome], aggregateId: hold.holdId, aggregateVersion: 2, actor: SYSTEM_ACTOR, data: escrowEventData(hold, amounts) };
}

/** The data of every escrow event: the parties, the hold and its parts, in minor units. */
export function escrowEventData(hold: FundedHold, amounts: SettlementAmounts): EscrowEventData {
  const payer = ownerOfKey(hold.payerKey);
  return {
    hold_id: hold.holdId,
    job_id: hold.holdId,
    client_agent_id: payer?.type === 'agent' ? payer.id : null,
    client_user_id: payer?.type === 'user' ? payer.id : null,
    worker_agent_id: hold.payeeAgentId,
    currency: hold.currency,
    amount: hold.amount,
    worker_amount: amounts.workerAmount,
    client_amount: amounts.clientAmount,
    fee_amount: amounts.feeAmount,
    model_cost_amount: amounts.modelCostAmount ?? 0,
  };
}
