import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { ESCROW, PLATFORM } from '../ledger/owner-key.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

export interface FigureRow {
  figure: 'volume' | 'fees' | 'held' | 'earner';
  currency: Currency;
  agent_id: string | null;
  amount: string;
}

/** Settled volume, fees and escrow per currency and each currency's `topEarners` best-paid workers, one query. */
export function paymentFigures(em: EntityManager, topEarners: number): Promise<FigureRow[]> {
  return em.execute<FigureRow[]>(
    `select 'volume' as figure, currency, null as agent_id, settled_volume as amount from ${PAYMENTS_SCHEMA}.currency_totals
     union all
     select case owner_key when ? then 'fees' else 'held' end, currency, null, balance from ${PAYMENTS_SCHEMA}.accounts where owner_key in (?, ?)
     union all
     select 'earner', c.currency, e.agent_id::text, e.amount
     from (values ('USD'), ('SAT')) as c (currency)
     cross join lateral (
       select agent_id, amount from ${PAYMENTS_SCHEMA}.worker_earnings w where w.currency = c.currency order by amount desc, agent_id limit ?
     ) e`,
    [PLATFORM, PLATFORM, ESCROW, topEarners],
    'all',
  );
}
