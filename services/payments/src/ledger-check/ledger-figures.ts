import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES } from '@agentmarket/contracts';
import { formatAmount } from '../wallet/amounts.ts';
import { accountFiguresByCurrency, ledgerCounts } from './ledger-figures.repository.ts';

/** A one-line summary of the ledger for operators: accounts, money issued from the world, in escrow, earned as fees; transfers and holds. */
export async function ledgerFigures(em: EntityManager): Promise<string> {
  const fork = em.fork();
  const perCurrency = await accountFiguresByCurrency(fork);
  const counts = await ledgerCounts(fork);
  const currencies = CURRENCIES.map((currency) => {
    const row = perCurrency.find((candidate) => candidate.currency === currency);
    const money = (value: string | undefined) => formatAmount(currency, Number(value ?? 0));
    return `${currency}: ${row?.accounts ?? 0} accounts, issued ${money(row?.issued)}, in escrow ${money(row?.escrow)}, fees ${money(row?.fees)}`;
  });
  return `${currencies.join('; ')}; ${counts?.transfers ?? 0} transfers, ${counts?.holds ?? 0} holds (${counts?.held ?? 0} held)`;
}
