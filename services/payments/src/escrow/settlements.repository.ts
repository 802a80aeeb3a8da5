import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';
import type { HoldStatus } from './hold-rows.ts';

/** One hold's settlement: how its amount was split, and how its model cost was paid. */
export interface SettlementRow {
  holdId: string;
  kind: string;
  workerAmount: number;
  clientAmount: number;
  feeAmount: number;
  modelCostAmount: number;
  sellerModelCostAmount: number;
  unpaidModelCostAmount: number;
}

/** The settlement rows, one insert. */
export async function insertSettlements(em: EntityManager, settlements: SettlementRow[]): Promise<void> {
  // No "on conflict": a second settlement of a hold must fail loudly, never pass silently.
  await em.execute(
    `insert into ${PAYMENTS_SCHEMA}.hold_settlements
       (hold_id, kind, worker_amount, client_amount, fee_amount, model_cost_amount, seller_model_cost_amount, unpaid_model_cost_amount)
     values ${settlements.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    settlements.flatMap((s) => [
      s.holdId,
      s.kind,
      s.workerAmount,
      s.clientAmount,
      s.feeAmount,
      s.modelCostAmount,
      s.sellerModelCostAmount,
      s.unpaidModelCostAmount,
    ]),
    'run',
  );
}

/** Moves `held` holds to their settled status, one statement; returns how many it moved. */
export async function setHoldStatuses(em: EntityManager, holds: { holdId: string; status: HoldStatus }[]): Promise<number> {
  const updated = await em.execute<{ hold_id: string }[]>(
    `update ${PAYMENTS_SCHEMA}.holds h set status = v.status, settled_at = now()
     from (values ${holds.map(() => '(?::uuid, ?)').join(', ')}) as v (hold_id, status)
     where h.hold_id = v.hold_id and h.status = 'held' returning h.hold_id`,
    holds.flatMap((hold) => [hold.holdId, hold.status]),
    'all',
  );
  return updated.length;
}

/** Adds to the currency's settled volume (the stats total), locking its row. */
export async function addSettledVolume(em: EntityManager, currency: Currency, amount: number): Promise<void> {
  await em.execute(`update ${PAYMENTS_SCHEMA}.currency_totals set settled_volume = settled_volume + ? where currency = ?`, [amount, currency], 'run');
}

/** Adds to workers' earnings per currency, one upsert (rows in the caller's lock order). */
export async function addWorkerEarnings(em: EntityManager, rows: { agentId: string; currency: Currency; amount: number }[]): Promise<void> {
  await em.execute(
    `insert into ${PAYMENTS_SCHEMA}.worker_earnings (agent_id, currency, amount) values ${rows.map(() => '(?, ?, ?)').join(', ')}
     on conflict (agent_id, currency) do update set amount = ${PAYMENTS_SCHEMA}.worker_earnings.amount + excluded.amount`,
    rows.flatMap((row) => [row.agentId, row.currency, row.amount]),
    'all',
  );
}
