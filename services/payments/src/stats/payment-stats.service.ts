import type { MikroORM } from '@mikro-orm/postgresql';
import { CURRENCIES, type PaymentStats } from '@agentmarket/contracts';
import { paymentFigures, type FigureRow } from './payment-stats.repository.ts';

/** The 10 best-paid workers per currency. */
export const TOP_EARNERS = 10;

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
    const rows = await paymentFigures(this.orm.em.fork(), TOP_EARNERS);
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
