import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountDirectory } from '../ledger/account-directory.ts';
import { lookup } from '../ledger/account-directory.ts';
import { agentKey } from '../ledger/owner-key.ts';
import { lockedAccountBalance } from '../ledger/accounts.repository.ts';
import { reportedModelCosts } from './model-costs.repository.ts';
import type { FundedHold } from './escrow-events.ts';
import { microUsdToCents, modelCostParts, type ModelCostParts, type SettlementAmounts } from './settlement-math.ts';

/** How one settlement pays its hosted job's model cost. */
export type ModelCharge = ModelCostParts;

interface Chargeable {
  hold: FundedHold;
  amounts: SettlementAmounts;
}

/**
 * The model cost each settling hold owes (what the executor reported, in
 * whole cents, rounded up) and how it is paid: out of the worker's payout
 * first; what the payout cannot cover (a refund pays no payout) from the
 * seller's wallet up to its balance, read under a row lock in this
 * transaction; the rest is unpaid (the platform's loss, recorded on the
 * settlement). Only USD holds: model costs are in USD, and hosted services
 * are priced in USD. Holds with no reported cost are absent from the map.
 */
export async function modelCostsOf(em: EntityManager, accounts: AccountDirectory, settlements: Chargeable[]): Promise<Map<string, ModelCharge>> {
  const charges = new Map<string, ModelCharge>();
  const usd = settlements.filter(({ hold }) => hold.currency === 'USD');
  if (usd.length === 0) return charges;
  const rows = await reportedModelCosts(em, usd.map(({ hold }) => hold.holdId));
  if (rows.length === 0) return charges;
  const costs = new Map(rows.map((row) => [row.hold_id, microUsdToCents(Number(row.cost_micro_usd))]));
  // What each seller's wallet can still give within this batch of settlements.
  const walletLeft = new Map<string, number>();
  for (const { hold, amounts } of usd) {
    const cost = costs.get(hold.holdId);
    if (cost === undefined) continue;
    const seller = hold.payeeAgentId;
    let balance = 0;
    if (cost > amounts.workerAmount) {
      balance = walletLeft.get(seller) ?? (await lockedBalance(em, accounts, seller));
    }
    const parts = modelCostParts(cost, amounts.workerAmount, balance);
    if (cost > amounts.workerAmount) walletLeft.set(seller, balance - parts.fromWallet);
    charges.set(hold.holdId, parts);
  }
  return charges;
}

/** The seller's USD balance, locked until this transaction ends so that no other posting spends it meanwhile. */
async function lockedBalance(em: EntityManager, accounts: AccountDirectory, sellerAgentId: string): Promise<number> {
  const ref = { ownerKey: agentKey(sellerAgentId), currency: 'USD' as const };
  const id = lookup(await accounts.ids(em, [ref]), ref);
  return Number((await lockedAccountBalance(em, id)) ?? 0);
}
