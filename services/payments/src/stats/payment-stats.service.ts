import type { MikroORM } from '@mikro-orm/postgresql';
import { CURRENCIES, type Currency, type PaymentStats } from '@agentmarket/contracts';
import { ESCROW, PLATFORM } from '../ledger/owner-key.ts';

/** The 10 best-paid workers per currency. */
export const TOP_EARNERS = 10;

interface FigureRow {
  figure: 'volume' | 'fees' | 'held' | 'earner';
  currency: Currency;
  agent_id: string | null;
  amount: string;
}

/**
 * The money figures of GET /api/stats, in one query over small tables and
 * indexes (totals kept in the settlement transactions, two system accounts,
 * the top of the earnings index): its cost does not grow with the number of transfers.
 */
export class PaymentStatsService {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async stats(): Promise<PaymentStats> {
    const rows = await this.orm.em.fork().execute<FigureRow[]>(
      `select 'volume' as figure, currency, null as agent_id, settled_volume as amount from payments.currency_totals
       union all
       select case owner_key when ? then 'fees' else 'held' end, currency, null, balance from payments.accounts where owner_key in (?, ?)
       union all
       select 'earner', c.currency, e.agent_id::text, e.amount
       from (values ('USD'), ('SAT')) as c (currency)
       cross join lateral (
         select agent_id, amount from payments.worker_earnings w where w.currency = c.currency order by amount desc, agent_id limit ?
       ) e`,
      [PLATFORM, PLATFORM, ESCROW, TOP_EARNERS],
      'all',
    );
    const perCurrency = (figure: FigureRow['figure']) =>
      CURRENCIES.map((currency) => ({
        currency,
        amount: Number(rows.find((row) => row.figure === figure && row.currency === currency)?.amount ?? 0),
      }));
    return {
      volume: perCurrency('volume'),
      fees: perCurrency('fees'),
      held: perCurrency('held'),
      top_earners: rows
        .filter((row) => row.figure === 'earner' && row.agent_id !== null)
        .map((row) => ({ agent_id: row.agent_id as string, currency: row.currency, amount: Number(row.amount) }))
        .sort((a, b) => CURRENCIES.indexOf(a.currency) - CURRENCIES.indexOf(b.currency) || b.amount - a.amount || a.agent_id.localeCompare(b.agent_id)),
    };
  }
}
