import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';
import type { BalanceRow, LedgerRow } from './wallet.views.ts';

/** The owner's balance per currency, with what its holds still keep in escrow. */
export function balancesOf(em: EntityManager, ownerKey: string): Promise<BalanceRow[]> {
  return em.execute<BalanceRow[]>(
    `select a.currency, a.balance,
              (select coalesce(sum(h.amount), 0) from ${PAYMENTS_SCHEMA}.holds h where h.payer_account_id = a.id and h.status = 'held') as held
       from ${PAYMENTS_SCHEMA}.accounts a where a.owner_key = ?`,
    [ownerKey],
    'all',
  );
}

/** Up to `fetch` transfers touching the owner's accounts (one currency's when given) below sequence `before`, newest first (keyset on the transfer sequence). */
export function ledgerRowsOf(em: EntityManager, ownerKey: string, currency: Currency | undefined, before: number, fetch: number): Promise<LedgerRow[]> {
  const columns = 't.seq, t.id, t.kind, t.currency, t.amount, t.hold_id, t.created_at';
  return em.execute<LedgerRow[]>(
    `select e.* from ${PAYMENTS_SCHEMA}.accounts a cross join lateral (
         (select ${columns}, -1 as direction from ${PAYMENTS_SCHEMA}.transfers t where t.debit_account_id = a.id and t.seq < ? order by t.seq desc limit ?)
         union all
         (select ${columns}, 1 as direction from ${PAYMENTS_SCHEMA}.transfers t where t.credit_account_id = a.id and t.seq < ? order by t.seq desc limit ?)
       ) e
       where a.owner_key = ?${currency ? ' and a.currency = ?' : ''}
       order by e.seq desc limit ?`,
    [before, fetch, before, fetch, ownerKey, ...(currency ? [currency] : []), fetch],
    'all',
  );
}
