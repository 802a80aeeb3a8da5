import { CURRENCIES, type Currency, type LedgerEntryView, type WalletOwner, type WalletView } from '@agentmarket/contracts';
import type { TransferKind } from '../ledger/transfers.ts';
import { formatAmount } from './amounts.ts';

export interface BalanceRow {
  currency: Currency;
  balance: string;
  held: string;
}

/** Both currencies, always: an account not opened yet shows zero. */
export function toWalletView(owner: WalletOwner, rows: BalanceRow[]): WalletView {
  return {
    owner: { type: owner.type, id: owner.id },
    balances: CURRENCIES.map((currency) => {
      const row = rows.find((candidate) => candidate.currency === currency);
      return {
        currency,
        available: formatAmount(currency, Number(row?.balance ?? 0)),
        held: formatAmount(currency, Number(row?.held ?? 0)),
      };
    }),
  };
}

/** A transfer touching the owner, seen from the owner's side: `direction` -1 when it left the owner's account. */
export interface LedgerRow {
  seq: string;
  id: string;
  kind: TransferKind;
  currency: Currency;
  amount: string;
  hold_id: string | null;
  created_at: Date | string;
  direction: number;
}

/** A ledger entry signed from the owner's point of view; the job id is the hold's. */
export function toLedgerEntryView(row: LedgerRow): LedgerEntryView {
  return {
    id: row.seq,
    transfer_id: row.id,
    kind: row.kind,
    currency: row.currency,
    amount: formatAmount(row.currency, Number(row.direction) * Number(row.amount)),
    job_id: row.hold_id,
    created_at: new Date(row.created_at).toISOString(),
  };
}
