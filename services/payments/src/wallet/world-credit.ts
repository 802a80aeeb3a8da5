import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, SYSTEM_ACTOR, type Currency, type WalletOwner } from '@agentmarket/contracts';
import { appendToOutbox, type NewEvent } from '@agentmarket/persistence';
import { lookup, type AccountDirectory, type AccountRef } from '../ledger/account-directory.ts';
import { WORLD, ownerKeyOf } from '../ledger/owner-key.ts';
import { findTransfer, postTransfers } from '../ledger/transfers.repository.ts';
import type { TransferDraft } from '../ledger/transfers.ts';
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
  const posted = await creditsFromWorld(em, accounts, [credit]);
  return posted.size === 1;
}

/**
 * Posts several credits from the world in one go, as creditFromWorld does
 * each; returns the transfer ids posted now. Every account is created
 * before the first balance changes: creating an account that a concurrent
 * credit has just created waits for that credit, and that credit may be
 * waiting for the world's balance row, so a transaction must not hold that
 * row while it still creates accounts.
 */
export async function creditsFromWorld(em: EntityManager, accounts: AccountDirectory, credits: WorldCredit[]): Promise<Set<string>> {
  if (credits.length === 0) return new Set();
  const refs: AccountRef[] = credits.flatMap((credit) => [
    { ownerKey: WORLD, currency: credit.currency },
    { ownerKey: ownerKeyOf(credit.owner), currency: credit.currency },
  ]);
  const ids = await accounts.ids(em, refs);
  const drafts: TransferDraft[] = credits.map((credit) => ({
    id: credit.transferId,
    debitAccountId: lookup(ids, { ownerKey: WORLD, currency: credit.currency }),
    creditAccountId: lookup(ids, { ownerKey: ownerKeyOf(credit.owner), currency: credit.currency }),
    currency: credit.currency,
    amount: credit.amount,
    kind: credit.kind,
    holdId: null,
  }));
  const posted = new Set((await postTransfers(em, drafts)).map((draft) => draft.id));
  for (const [index, credit] of credits.entries()) {
    if (!posted.has(credit.transferId)) await assertSameCredit(em, credit, drafts[index]!.creditAccountId);
  }
  await appendToOutbox(em, PAYMENTS_SCHEMA, credits.filter((credit) => posted.has(credit.transferId)).map(creditedEvent));
  return posted;
}

function creditedEvent(credit: WorldCredit): NewEvent {
  return {
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
  };
}

async function assertSameCredit(em: EntityManager, credit: WorldCredit, creditAccountId: number): Promise<void> {
  const existing = await findTransfer(em, credit.transferId);
  const same = existing && Number(existing.credit_account_id) === creditAccountId && Number(existing.amount) === credit.amount && existing.kind === credit.kind;
  if (!same) throw new AppError('conflict', 'This transfer id was already used for another transfer', { transfer_id: credit.transferId });
}
