import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';
import type { AccountRef } from './account-directory.ts';

export interface AccountRow {
  id: string;
  owner_key: string;
  currency: Currency;
}

/** The accounts of `refs` that exist. */
export function selectAccounts(em: EntityManager, refs: AccountRef[]): Promise<AccountRow[]> {
  return em.execute<AccountRow[]>(
    `select id, owner_key, currency from ${PAYMENTS_SCHEMA}.accounts where (owner_key, currency) in (${refs.map(() => '(?, ?)').join(', ')})`,
    refs.flatMap((ref) => [ref.ownerKey, ref.currency]),
    'all',
  );
}

/** Creates the accounts of `refs` that do not exist yet; returns those this statement created. */
export function insertAccounts(em: EntityManager, refs: AccountRef[]): Promise<AccountRow[]> {
  return em.execute<AccountRow[]>(
    `insert into ${PAYMENTS_SCHEMA}.accounts (owner_key, currency) values ${refs.map(() => '(?, ?)').join(', ')}
         on conflict (owner_key, currency) do nothing returning id, owner_key, currency`,
    refs.flatMap((ref) => [ref.ownerKey, ref.currency]),
    'all',
  );
}

/** The account's balance, its row locked until the transaction ends so that no other posting spends it meanwhile. */
export async function lockedAccountBalance(em: EntityManager, accountId: number | string): Promise<string | undefined> {
  const [row] = await em.execute<{ balance: string }[]>(`select balance from ${PAYMENTS_SCHEMA}.accounts where id = ? for update`, [accountId], 'all');
  return row?.balance;
}
