import { boundedPage, markKeyRecordedByUseCase } from '@agentmarket/messaging';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CreditCommand, CreditedView, Currency, LedgerEntryPage, WalletOwner, WalletView } from '@agentmarket/contracts';
import type { AccountDirectory } from '../ledger/account-directory.ts';
import { ownerKeyOf } from '../ledger/owner-key.ts';
import { seqBefore, transactionsCursor } from './transactions-cursor.ts';
import { toLedgerEntryView, toWalletView } from './wallet.views.ts';
import { balancesOf, ledgerRowsOf } from './wallet.repository.ts';
import { creditFromWorld } from './world-credit.ts';

export interface TransactionsQuery {
  currency?: Currency;
  limit: number;
  cursor?: string;
}

/** Wallets: balances, the ledger entries of an owner, and credits from outside. Each public method owns its transaction. */
export class WalletService {
  private readonly orm: MikroORM;
  private readonly accounts: AccountDirectory;

  constructor(orm: MikroORM, accounts: AccountDirectory) {
    this.orm = orm;
    this.accounts = accounts;
  }

  /** Available (the account balance) and held (the owner's holds still in escrow), per currency. */
  async wallet(owner: WalletOwner): Promise<WalletView> {
    const rows = await balancesOf(this.orm.em.fork(), ownerKeyOf(owner));
    return toWalletView(owner, rows);
  }

  /** Every transfer touching the owner's accounts, newest first, in one query per page (keyset on the transfer sequence). */
  async transactions(owner: WalletOwner, query: TransactionsQuery): Promise<LedgerEntryPage> {
    const before = seqBefore(query.cursor) ?? Number.MAX_SAFE_INTEGER;
    const fetch = query.limit + 1;
    const rows = await ledgerRowsOf(this.orm.em.fork(), ownerKeyOf(owner), query.currency, before, fetch);
    return boundedPage(rows, query.limit, toLedgerEntryView, (last) => transactionsCursor(last.seq, last.id));
  }

  /** Credits an owner from the outside world, once per transfer id. */
  async credit(command: CreditCommand): Promise<CreditedView> {
    // The gateway derives the transfer id from the Idempotency-Key: the ledger's unique id is the record.
    markKeyRecordedByUseCase();
    await this.orm.em.fork().transactional((em) =>
      creditFromWorld(em, this.accounts, {
        transferId: command.transfer_id,
        owner: command.owner,
        currency: command.currency,
        amount: command.amount,
        kind: 'credit',
        ...(command.credited_by ? { creditedBy: command.credited_by } : {}),
        ...(command.note ? { note: command.note } : {}),
      }),
    );
    return { transfer_id: command.transfer_id, wallet: await this.wallet(command.owner) };
  }
}
