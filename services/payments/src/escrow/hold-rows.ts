import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency, HoldView } from '@agentmarket/contracts';

export type HoldStatus = HoldView['status'];

/** A row of payments.holds with its payer's owner key (null for an abandoned id that never held money). */
export interface HoldRow {
  hold_id: string;
  payer_account_id: string | null;
  payer_key: string | null;
  payee_agent_id: string | null;
  currency: Currency | null;
  amount: string;
  status: HoldStatus;
}

const SELECT_HOLDS = `select h.hold_id, h.payer_account_id, a.owner_key as payer_key, h.payee_agent_id, h.currency, h.amount, h.status
  from payments.holds h left join payments.accounts a on a.id = h.payer_account_id`;

/** One hold, unlocked. */
export async function findHold(em: EntityManager, holdId: string): Promise<HoldRow | undefined> {
  const rows = await em.execute<HoldRow[]>(`${SELECT_HOLDS} where h.hold_id = ?`, [holdId], 'all');
  return rows[0];
}

/**
 * Holds locked for the caller's transaction, in hold id order (the one order
 * every settlement takes them in, so two settlements cannot deadlock).
 */
export async function lockHolds(em: EntityManager, holdIds: string[]): Promise<Map<string, HoldRow>> {
  if (holdIds.length === 0) return new Map();
  const rows = await em.execute<HoldRow[]>(`${SELECT_HOLDS} where h.hold_id in (?) order by h.hold_id for no key update of h`, [holdIds], 'all');
  return new Map(rows.map((row) => [row.hold_id, row]));
}
