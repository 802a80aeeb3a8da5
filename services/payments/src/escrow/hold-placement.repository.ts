import { CheckConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type Currency } from '@agentmarket/contracts';
import { executePrepared, toOutboxRows, type NewEvent } from '@agentmarket/persistence';
import { holdTransferId } from '../ledger/transfers.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

export interface HoldPlacement {
  holdId: string;
  payerAccountId: number;
  escrowAccountId: number;
  payeeAgentId: string;
  currency: Currency;
  amount: number;
  /** `escrow_held`, written only if the hold is. */
  event: NewEvent;
}

/**
 * Places a hold in ONE statement, atomic on its own (no transaction around
 * it): the hold row (a hold id already taken inserts nothing, and then
 * nothing else happens: returns false), its `hold` transfer, both balances
 * and the outbox row. The same double entry as postTransfers, folded: the
 * two accounts are updated in ascending id order, each update joined to
 * the previous step's count so that Postgres runs them in that order (the
 * one lock order every posting follows, so no deadlock with settlements).
 * Taking the escrow account's row lock inside the statement that commits
 * keeps it for the shortest time: every hold and settlement of a currency
 * updates that one row. A payer who cannot pay violates the balance CHECK:
 * `insufficient_funds`, and the statement writes nothing.
 */
export async function placeHoldRow(em: EntityManager, hold: HoldPlacement): Promise<boolean> {
  const changes = [
    { accountId: hold.escrowAccountId, change: hold.amount },
    { accountId: hold.payerAccountId, change: -hold.amount },
  ].sort((a, b) => a.accountId - b.accountId);
  const [outbox] = toOutboxRows([hold.event]).rows;
  if (!outbox) throw new Error('escrow_held has no outbox row');
  try {
    const rows = await executePrepared<{ placed: number }>(
      em,
      `with hold as (
         insert into ${PAYMENTS_SCHEMA}.holds (hold_id, payer_account_id, payee_agent_id, currency, amount, status)
         values (?, ?, ?, ?, ?, 'held') on conflict (hold_id) do nothing returning hold_id),
       transfer as (
         insert into ${PAYMENTS_SCHEMA}.transfers (id, debit_account_id, credit_account_id, currency, amount, kind, hold_id)
         select ?, ?::bigint, ?::bigint, ?, ?::bigint, 'hold', hold_id from hold on conflict (id) do nothing returning id),
       first_account as (
         update ${PAYMENTS_SCHEMA}.accounts set balance = balance + ?::bigint from (select count(*) as posted from transfer) as step
         where id = ? and step.posted > 0 returning id),
       second_account as (
         update ${PAYMENTS_SCHEMA}.accounts set balance = balance + ?::bigint from (select count(*) as posted from first_account) as step
         where id = ? and step.posted > 0 returning id),
       outbox as (
         insert into ${PAYMENTS_SCHEMA}.outbox (id, subject, envelope) select ?::uuid, ?, ?::jsonb from second_account)
       select count(*)::int as placed from second_account`,
      [
        hold.holdId,
        hold.payerAccountId,
        hold.payeeAgentId,
        hold.currency,
        hold.amount,
        holdTransferId('hold', hold.holdId),
        hold.payerAccountId,
        hold.escrowAccountId,
        hold.currency,
        hold.amount,
        changes[0]!.change,
        changes[0]!.accountId,
        changes[1]!.change,
        changes[1]!.accountId,
        outbox.id,
        outbox.subject,
        outbox.envelope,
      ],
    );
    return (rows[0]?.placed ?? 0) > 0;
  } catch (error) {
    if (error instanceof CheckConstraintViolationException && (error as { constraint?: string }).constraint === 'accounts_balance_non_negative') {
      throw new AppError('insufficient_funds', 'The balance cannot cover this amount', { currency: hold.currency, amount: hold.amount });
    }
    throw error;
  }
}
