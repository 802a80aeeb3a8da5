import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { insertAccounts, selectAccounts } from './accounts.repository.ts';

export interface AccountRef {
  ownerKey: string;
  currency: Currency;
}

const keyOf = (ref: AccountRef) => `${ref.ownerKey}|${ref.currency}`;

/**
 * Finds account ids, creating accounts on first use (insert … on conflict do
 * nothing). Accounts are never deleted, so an id once seen committed is
 * remembered for the life of the process: after warm-up, no query at all.
 */
export class AccountDirectory {
  private readonly known = new Map<string, number>();

  /** The ids of `refs`, inside the caller's transaction; `lookup(ids, ref)` reads the result. */
  async ids(em: EntityManager, refs: AccountRef[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    const missing = new Map<string, AccountRef>();
    for (const ref of refs) {
      const id = this.known.get(keyOf(ref));
      if (id === undefined) missing.set(keyOf(ref), ref);
      else result.set(keyOf(ref), id);
    }
    if (missing.size === 0) return result;
    const wanted = [...missing.values()];
    let rows = await selectAccounts(em, wanted);
    const created = new Set<string>();
    if (rows.length < wanted.length) {
      const inserted = await insertAccounts(em, wanted);
      for (const row of inserted) created.add(`${row.owner_key}|${row.currency}`);
      // A second statement sees accounts that a concurrent transaction created and committed meanwhile.
      rows = await selectAccounts(em, wanted);
    }
    for (const row of rows) {
      const key = `${row.owner_key}|${row.currency}`;
      result.set(key, Number(row.id));
      // An account created by this transaction may still roll back: remember it only once seen committed.
      if (!created.has(key)) this.known.set(key, Number(row.id));
    }
    for (const key of missing.keys()) if (!result.has(key)) throw new Error(`Account ${key} could not be created`);
    return result;
  }
}

/** The id of `ref` in a map returned by AccountDirectory.ids. */
export function lookup(ids: Map<string, number>, ref: AccountRef): number {
  const id = ids.get(keyOf(ref));
  if (id === undefined) throw new Error(`Account ${keyOf(ref)} was not resolved`);
  return id;
}
