import type { EntityManager } from '@mikro-orm/postgresql';
import { PAYMENTS_SCHEMA } from '../schema.ts';
import type { HoldRow } from './hold-rows.ts';

const SELECT_HOLDS = `select h.hold_id, h.payer_account_id, a.owner_key as payer_key, h.payee_agent_id, h.currency, h.amount, h.status
  from ${PAYMENTS_SCHEMA}.holds h left join ${PAYMENTS_SCHEMA}.accounts a on a.id = h.payer_account_id`;

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

/** Fences a hold id that holds nothing yet (an `abandoned` row, so a late placement fails); false when a hold row already exists. */
export async function fenceHold(em: EntityManager, holdId: string): Promise<boolean> {
  const fenced = await em.execute<{ hold_id: string }[]>(
    `insert into ${PAYMENTS_SCHEMA}.holds (hold_id, amount, status, settled_at) values (?, 0, 'abandoned', now())
         on conflict (hold_id) do nothing returning hold_id`,
    [holdId],
    'all',
  );
  return fenced.length === 1;
}

/** The hold's status and payee, its row locked (no key update) until the transaction ends. */
export async function lockHoldStatus(em: EntityManager, holdId: string): Promise<{ status: string; payee_agent_id: string | null } | undefined> {
  const [hold] = await em.execute<{ status: string; payee_agent_id: string | null }[]>(
    `select status, payee_agent_id from ${PAYMENTS_SCHEMA}.holds where hold_id = ? for no key update`,
    [holdId],
    'all',
  );
  return hold;
}
