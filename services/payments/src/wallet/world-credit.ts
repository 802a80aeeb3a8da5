import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, SYSTEM_ACTOR, type Currency, type WalletOwner } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { lookup, type AccountDirectory } from '../ledger/account-directory.ts';
import { WORLD, ownerKeyOf } from '../ledger/owner-key.ts';
import { findTransfer, postTransfers } from '../ledger/transfers.repository.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

/** Money entering the market: a deposit (admin credit) or a starter grant. */
export interface WorldCredit {
  transferId: string;
  owner: WalletOwner;
  currency: Currency;
  amount: number;
  kind: 'grant' | 'credit';
  /** The admin behind a credit (grants have none). */
  creditedBy?: string;
  note?: string;
}

/**
 * Posts a transfer from the outside world to an owner inside the caller's
 * transaction, with a `wallet_credited` event. The transfer id makes a
 * retry a no-op (false); the same id naming a different credit is a `conflict`.
 */
export async function creditFromWorld(em: EntityManager, accounts: AccountDirectory, credit: WorldCredit): Promise<boolean> {
  const ownerKey = ownerKeyOf(credit.owner);
  const ids = await accounts.ids(em, [
    { ownerKey: WORLD, currency: credit.currency },
    { ownerKey, currency: credit.currency },
  ]);
  const creditAccountId = lookup(ids, { ownerKey, currency: credit.currency });
  const posted = await postTransfers(em, [
    {
      id: credit.transferId,
      debitAccountId: lookup(ids, { ownerKey: WORLD, currency: credit.currency }),
      creditAccountId,
      currency: credit.currency,
      amount: credit.amount,
      kind: credit.kind,
      holdId: null,
    },
  ]);
  if (posted.length === 0) {
    await assertSameCredit(em, credit, creditAccountId);
    return false;
  }
  await appendToOutbox(em, PAYMENTS_SCHEMA, [
    {
      type: 'wallet_credited',
      aggregateId: credit.owner.id.toLowerCase(),
      aggregateVersion: 1,
      // Admins act as users in events; `credited_by` names them for the audit trail.
      actor: credit.creditedBy ? { type: 'user', id: credit.creditedBy } : SYSTEM_ACTOR,
      data: {
        [credit.owner.type === 'agent' ? 'agent_id' : 'user_id']: credit.owner.id.toLowerCase(),
        currency: credit.currency,
        amount: credit.amount,
        transfer_id: credit.transferId,
        ...(credit.creditedBy ? { credited_by: credit.creditedBy, note: credit.note ?? null } : {}),
      },
    },
  ]);
  return true;
}

async function assertSameCredit(em: EntityManager, credit: WorldCredit, creditAccountId: number): Promise<void> {
  const existing = await findTransfer(em, credit.transferId);
  const same = existing && Number(existing.credit_account_id) === creditAccountId && Number(existing.amount) === credit.amount && existing.kind === credit.kind;
  if (!same) throw new AppError('conflict', 'This transfer id was already used for another transfer', { transfer_id: credit.transferId });
}
