import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type Currency } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { lookup, type AccountDirectory } from '../ledger/account-directory.ts';
import { ESCROW, MODEL_COSTS, PLATFORM, agentKey } from '../ledger/owner-key.ts';
import { holdTransferId, type TransferDraft } from '../ledger/transfers.ts';
import { postTransfers } from '../ledger/transfers.repository.ts';
import { escrowSettledEvent, type FundedHold } from './escrow-events.ts';
import type { HoldRow, HoldStatus } from './hold-rows.ts';
import { lockHolds } from './holds.repository.ts';
import { addSettledVolume, addWorkerEarnings, insertSettlements, setHoldStatuses } from './settlements.repository.ts';
import { modelCostsOf, type ModelCharge } from './model-cost-charges.ts';
import { settlementAmounts, type SettlementAmounts, type SettlementOutcome } from './settlement-math.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

/** One hold to settle. `workerAgentId`, when given, must be the payee the hold was placed for. */
export interface SettlementRequest {
  holdId: string;
  outcome: SettlementOutcome;
  workerAgentId?: string;
}

export interface SettlementContext {
  accounts: AccountDirectory;
  feeBps: number;
  /** The smallest fee of a paid job, per currency (minor units); none when absent. */
  minFee?: Partial<Record<Currency, number>>;
}

interface Settlement {
  hold: FundedHold;
  payerAccountId: number;
  kind: SettlementOutcome['kind'];
  amounts: SettlementAmounts;
  modelCost: ModelCharge;
}

const NO_MODEL_COST: ModelCharge = { fromPayout: 0, fromWallet: 0, unpaid: 0 };

const STATUS_AFTER: Record<SettlementOutcome['kind'], HoldStatus> = { release: 'released', refund: 'refunded', split: 'split' };

/**
 * Settles holds inside the caller's transaction: each hold still `held` gets
 * its settlement row (whose primary key allows one per hold, ever), its new
 * status, its transfers out of escrow (release to the worker, fee to the
 * platform, refund to the payer; zero parts are not transferred), the stats
 * totals and an escrow event. A hold already settled or abandoned is left
 * alone; a hold that does not exist is a permanent error. Returns the holds
 * as they are afterwards, by id.
 */
export async function settleHolds(em: EntityManager, context: SettlementContext, requests: SettlementRequest[]): Promise<Map<string, HoldRow>> {
  const holdIds = [...new Set(requests.map((request) => request.holdId.toLowerCase()))].sort();
  const holds = await lockHolds(em, holdIds);
  const missing = holdIds.filter((id) => !holds.has(id));
  if (missing.length > 0) throw new AppError('not_found', 'No escrow hold exists for this job', { hold_ids: missing });

  const settlements: Settlement[] = [];
  for (const request of requests) {
    const holdId = request.holdId.toLowerCase();
    const row = holds.get(holdId);
    if (!row || row.status !== 'held') continue;
    const hold = fundedHold(row);
    if (request.workerAgentId !== undefined && request.workerAgentId.toLowerCase() !== hold.payeeAgentId) {
      throw new AppError('conflict', 'The job’s worker is not the payee of its hold', { hold_id: holdId, worker_agent_id: request.workerAgentId });
    }
    const amounts = settlementAmounts(hold.amount, request.outcome, context.feeBps, context.minFee?.[hold.currency] ?? 0);
    settlements.push({ hold, payerAccountId: Number(row.payer_account_id), kind: request.outcome.kind, amounts, modelCost: NO_MODEL_COST });
    holds.set(holdId, { ...row, status: STATUS_AFTER[request.outcome.kind] });
  }
  if (settlements.length === 0) return holds;
  // A hosted job's model cost comes off the worker's part, the rest from the seller's wallet (see model-cost-charges.ts).
  const charges = await modelCostsOf(em, context.accounts, settlements);
  for (const settlement of settlements) {
    const charge = charges.get(settlement.hold.holdId);
    if (!charge) continue;
    settlement.modelCost = charge;
    settlement.amounts = {
      ...settlement.amounts,
      workerAmount: settlement.amounts.workerAmount - charge.fromPayout,
      modelCostAmount: charge.fromPayout,
    };
  }

  await insertSettlementRows(em, settlements);
  await markSettled(em, settlements);
  await postTransfers(em, await transfersOf(em, context.accounts, settlements));
  await addToTotals(em, settlements);
  await appendToOutbox(
    em,
    PAYMENTS_SCHEMA,
    settlements.map((settlement) => escrowSettledEvent(settlement.hold, settlement.kind, settlement.amounts)),
  );
  return holds;
}

/** The hold as money: only a row that is not an abandoned id has a payer, a payee and a currency. */
function fundedHold(row: HoldRow): FundedHold {
  if (row.payer_key === null || row.payee_agent_id === null || row.currency === null) {
    throw new Error(`Hold ${row.hold_id} holds no money`);
  }
  return { holdId: row.hold_id, payerKey: row.payer_key, payeeAgentId: row.payee_agent_id, currency: row.currency, amount: Number(row.amount) };
}

async function insertSettlementRows(em: EntityManager, settlements: Settlement[]): Promise<void> {
  await insertSettlements(
    em,
    settlements.map((s) => ({
      holdId: s.hold.holdId,
      kind: s.kind,
      workerAmount: s.amounts.workerAmount,
      clientAmount: s.amounts.clientAmount,
      feeAmount: s.amounts.feeAmount,
      modelCostAmount: s.modelCost.fromPayout,
      sellerModelCostAmount: s.modelCost.fromWallet,
      unpaidModelCostAmount: s.modelCost.unpaid,
    })),
  );
}

async function markSettled(em: EntityManager, settlements: Settlement[]): Promise<void> {
  const updated = await setHoldStatuses(em, settlements.map((s) => ({ holdId: s.hold.holdId, status: STATUS_AFTER[s.kind] })));
  if (updated !== settlements.length) throw new Error('A hold changed under its lock');
}

async function transfersOf(em: EntityManager, accounts: AccountDirectory, settlements: Settlement[]): Promise<TransferDraft[]> {
  const refs = settlements.flatMap(({ hold }) => [
    { ownerKey: ESCROW, currency: hold.currency },
    { ownerKey: PLATFORM, currency: hold.currency },
    { ownerKey: agentKey(hold.payeeAgentId), currency: hold.currency },
    { ownerKey: MODEL_COSTS, currency: hold.currency },
  ]);
  const ids = await accounts.ids(em, refs);
  return settlements.flatMap(({ hold, payerAccountId, amounts, modelCost }) => {
    const escrow = lookup(ids, { ownerKey: ESCROW, currency: hold.currency });
    const seller = lookup(ids, { ownerKey: agentKey(hold.payeeAgentId), currency: hold.currency });
    const modelCosts = lookup(ids, { ownerKey: MODEL_COSTS, currency: hold.currency });
    const leg = (
      kind: 'release' | 'fee' | 'refund' | 'model_cost' | 'seller_model_cost',
      debitAccountId: number,
      creditAccountId: number,
      amount: number,
    ): TransferDraft[] =>
      amount > 0 ? [{ id: holdTransferId(kind, hold.holdId), debitAccountId, creditAccountId, currency: hold.currency, amount, kind, holdId: hold.holdId }] : [];
    return [
      ...leg('release', escrow, seller, amounts.workerAmount),
      ...leg('fee', escrow, lookup(ids, { ownerKey: PLATFORM, currency: hold.currency }), amounts.feeAmount),
      ...leg('refund', escrow, payerAccountId, amounts.clientAmount),
      ...leg('model_cost', escrow, modelCosts, modelCost.fromPayout),
      ...leg('seller_model_cost', seller, modelCosts, modelCost.fromWallet),
    ];
  });
}

/** The settled volume per currency and each worker's earnings, locked in a fixed order (currency, then agent). */
async function addToTotals(em: EntityManager, settlements: Settlement[]): Promise<void> {
  const volume = new Map<Currency, number>();
  const earnings = new Map<string, { agentId: string; currency: Currency; amount: number }>();
  for (const { hold, amounts } of settlements) {
    volume.set(hold.currency, (volume.get(hold.currency) ?? 0) + hold.amount);
    if (amounts.workerAmount === 0) continue;
    const key = `${hold.payeeAgentId}|${hold.currency}`;
    const earned = earnings.get(key) ?? { agentId: hold.payeeAgentId, currency: hold.currency, amount: 0 };
    earned.amount += amounts.workerAmount;
    earnings.set(key, earned);
  }
  for (const [currency, amount] of [...volume].sort(([a], [b]) => a.localeCompare(b))) {
    await addSettledVolume(em, currency, amount);
  }
  const rows = [...earnings.values()].sort((a, b) => a.agentId.localeCompare(b.agentId) || a.currency.localeCompare(b.currency));
  if (rows.length === 0) return;
  await addWorkerEarnings(em, rows);
}
