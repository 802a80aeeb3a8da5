import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES, type Currency } from '@agentmarket/contracts';
import { formatAmount } from '../wallet/amounts.ts';

interface FigureRow {
  currency: Currency;
  accounts: string;
  issued: string;
  escrow: string;
  fees: string;
}

/** A one-line summary of the ledger for operators: accounts, money issued from the world, in escrow, earned as fees; transfers and holds. */
export async function ledgerFigures(em: EntityManager): Promise<string> {
  const fork = em.fork();
  const perCurrency = await fork.execute<FigureRow[]>(
    `select currency, count(*) as accounts,
            -coalesce(sum(balance) filter (where owner_key = 'world'), 0) as issued,
            coalesce(sum(balance) filter (where owner_key = 'escrow'), 0) as escrow,
            coalesce(sum(balance) filter (where owner_key = 'platform'), 0) as fees
     from payments.accounts group by currency`,
    [],
    'all',
  );
  const [counts] = await fork.execute<{ transfers: string; holds: string; held: string }[]>(
    `select (select count(*) from payments.transfers) as transfers,
            (select count(*) from payments.holds where status <> 'abandoned') as holds,
            (select count(*) from payments.holds where status = 'held') as held`,
    [],
    'all',
  );
  const currencies = CURRENCIES.map((currency) => {
    const row = perCurrency.find((candidate) => candidate.currency === currency);
    const money = (value: string | undefined) => formatAmount(currency, Number(value ?? 0));
    return `${currency}: ${row?.accounts ?? 0} accounts, issued ${money(row?.issued)}, in escrow ${money(row?.escrow)}, fees ${money(row?.fees)}`;
  });
  return `${currencies.join('; ')}; ${counts?.transfers ?? 0} transfers, ${counts?.holds ?? 0} holds (${counts?.held ?? 0} held)`;
}
