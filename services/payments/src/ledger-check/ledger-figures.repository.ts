import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

export interface FigureRow {
  currency: Currency;
  accounts: string;
  issued: string;
  escrow: string;
  fees: string;
}

/** Per currency: how many accounts, the money issued from the world, in escrow and earned as fees. */
export function accountFiguresByCurrency(em: EntityManager): Promise<FigureRow[]> {
  return em.execute<FigureRow[]>(
    `select currency, count(*) as accounts,
            -coalesce(sum(balance) filter (where owner_key = 'world'), 0) as issued,
            coalesce(sum(balance) filter (where owner_key = 'escrow'), 0) as escrow,
            coalesce(sum(balance) filter (where owner_key = 'platform'), 0) as fees
     from ${PAYMENTS_SCHEMA}.accounts group by currency`,
    [],
    'all',
  );
}

/** How many transfers and holds there are (not counting abandoned ids), and how many holds are still held. */
export async function ledgerCounts(em: EntityManager): Promise<{ transfers: string; holds: string; held: string } | undefined> {
  const [counts] = await em.execute<{ transfers: string; holds: string; held: string }[]>(
    `select (select count(*) from ${PAYMENTS_SCHEMA}.transfers) as transfers,
            (select count(*) from ${PAYMENTS_SCHEMA}.holds where status <> 'abandoned') as holds,
            (select count(*) from ${PAYMENTS_SCHEMA}.holds where status = 'held') as held`,
    [],
    'all',
  );
  return counts;
}
