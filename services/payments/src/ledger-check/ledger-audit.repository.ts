import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES, type Currency } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';
import type { HoldLedgerRow } from './hold-problems.ts';

// The ledger check's reads: each query returns the rows that break one invariant (none when it holds).

/** The currencies whose account balances do not sum to zero. */
export function currenciesNotSummingToZero(em: EntityManager): Promise<{ currency: Currency; total: string }[]> {
  return em.execute<{ currency: Currency; total: string }[]>(
    `select currency, sum(balance) as total from ${PAYMENTS_SCHEMA}.accounts group by currency having sum(balance) <> 0`,
    [],
    'all',
  );
}

/** Accounts below zero (the world account issues money: it may be). */
export function negativeAccounts(em: EntityManager): Promise<{ owner_key: string; currency: Currency; balance: string }[]> {
  return em.execute<{ owner_key: string; currency: Currency; balance: string }[]>(
    `select owner_key, currency, balance from ${PAYMENTS_SCHEMA}.accounts where balance < 0 and owner_key <> 'world' order by id`,
    [],
    'all',
  );
}

/** Accounts whose balance is not what their transfers add up to. */
export function accountsOffTheirTransfers(em: EntityManager): Promise<{ owner_key: string; currency: Currency; balance: string; computed: string }[]> {
  return em.execute<{ owner_key: string; currency: Currency; balance: string; computed: string }[]>(
    `with moves as (
       select debit_account_id as account_id, -amount as change from ${PAYMENTS_SCHEMA}.transfers
       union all
       select credit_account_id, amount from ${PAYMENTS_SCHEMA}.transfers
     ), totals as (select account_id, sum(change) as total from moves group by account_id)
     select a.owner_key, a.currency, a.balance, coalesce(t.total, 0) as computed
     from ${PAYMENTS_SCHEMA}.accounts a left join totals t on t.account_id = a.id
     where a.balance <> coalesce(t.total, 0) order by a.id`,
    [],
    'all',
  );
}

/** Transfers between accounts of another currency than their own. */
export function transfersAcrossCurrencies(em: EntityManager): Promise<{ id: string; currency: Currency; debit_currency: Currency; credit_currency: Currency }[]> {
  return em.execute<{ id: string; currency: Currency; debit_currency: Currency; credit_currency: Currency }[]>(
    `select t.id, t.currency, d.currency as debit_currency, c.currency as credit_currency
     from ${PAYMENTS_SCHEMA}.transfers t
     join ${PAYMENTS_SCHEMA}.accounts d on d.id = t.debit_account_id
     join ${PAYMENTS_SCHEMA}.accounts c on c.id = t.credit_account_id
     where d.currency <> t.currency or c.currency <> t.currency`,
    [],
    'all',
  );
}

/** Currencies whose escrow balance is not what the holds still held add up to. */
export function escrowOffHeldHolds(em: EntityManager): Promise<{ currency: Currency; escrow: string; held: string }[]> {
  return em.execute<{ currency: Currency; escrow: string; held: string }[]>(
    `select c.currency, coalesce(a.balance, 0) as escrow, coalesce(h.total, 0) as held
     from (values ${CURRENCIES.map((currency) => `('${currency}')`).join(', ')}) as c (currency)
     left join ${PAYMENTS_SCHEMA}.accounts a on a.owner_key = 'escrow' and a.currency = c.currency
     left join (select currency, sum(amount) as total from ${PAYMENTS_SCHEMA}.holds where status = 'held' group by currency) h on h.currency = c.currency
     where coalesce(a.balance, 0) <> coalesce(h.total, 0)`,
    [],
    'all',
  );
}

/** Hold transfers that do not move their hold's money between the right accounts. */
export function misroutedHoldTransfers(em: EntityManager): Promise<{ id: string; kind: string }[]> {
  return em.execute<{ id: string; kind: string }[]>(
    `select t.id, t.kind
     from ${PAYMENTS_SCHEMA}.transfers t
     join ${PAYMENTS_SCHEMA}.holds h on h.hold_id = t.hold_id
     join ${PAYMENTS_SCHEMA}.accounts d on d.id = t.debit_account_id
     join ${PAYMENTS_SCHEMA}.accounts c on c.id = t.credit_account_id
     where t.id <> t.kind || ':' || h.hold_id
        or t.currency is distinct from h.currency
        or not case t.kind
          when 'hold' then t.debit_account_id = h.payer_account_id and c.owner_key = 'escrow'
          when 'release' then d.owner_key = 'escrow' and c.owner_key = 'agent:' || h.payee_agent_id
          when 'fee' then d.owner_key = 'escrow' and c.owner_key = 'platform'
          when 'refund' then d.owner_key = 'escrow' and t.credit_account_id = h.payer_account_id
          when 'model_cost' then d.owner_key = 'escrow' and c.owner_key = 'model_costs'
          when 'seller_model_cost' then d.owner_key = 'agent:' || h.payee_agent_id and c.owner_key = 'model_costs'
          else false end`,
    [],
    'all',
  );
}

/** Currencies whose recorded settled volume is not what their settled holds add up to. */
export function settledVolumeMismatches(em: EntityManager): Promise<{ currency: Currency; recorded: string; computed: string }[]> {
  return em.execute<{ currency: Currency; recorded: string; computed: string }[]>(
    `select c.currency, c.settled_volume as recorded, coalesce(h.total, 0) as computed
     from ${PAYMENTS_SCHEMA}.currency_totals c
     left join (select currency, sum(amount) as total from ${PAYMENTS_SCHEMA}.holds where status in ('released', 'refunded', 'split') group by currency) h
       on h.currency = c.currency
     where c.settled_volume <> coalesce(h.total, 0)`,
    [],
    'all',
  );
}

/** Workers whose recorded earnings are not what their releases add up to. */
export function earningsMismatches(em: EntityManager): Promise<{ agent_id: string; currency: Currency; recorded: string; computed: string }[]> {
  return em.execute<{ agent_id: string; currency: Currency; recorded: string; computed: string }[]>(
    `with paid as (
       select h.payee_agent_id as agent_id, t.currency, sum(t.amount) as total
       from ${PAYMENTS_SCHEMA}.transfers t join ${PAYMENTS_SCHEMA}.holds h on h.hold_id = t.hold_id
       where t.kind = 'release' group by 1, 2
     )
     select coalesce(p.agent_id, e.agent_id) as agent_id, coalesce(p.currency, e.currency) as currency,
            coalesce(e.amount, 0) as recorded, coalesce(p.total, 0) as computed
     from paid p full join ${PAYMENTS_SCHEMA}.worker_earnings e on e.agent_id = p.agent_id and e.currency = p.currency
     where coalesce(e.amount, 0) <> coalesce(p.total, 0)`,
    [],
    'all',
  );
}

/** Budgets funded wrongly, never, or closed while still holding money, with what is wrong. */
export function unsoundBudgets(em: EntityManager): Promise<{ job_id: string; problem: string }[]> {
  return em.execute<{ job_id: string; problem: string }[]>(
    `select b.job_id, case
        when f.id is null then 'was never funded'
        when f.amount <> b.amount or f.debit_account_id <> b.funder_account_id or f.credit_account_id <> b.account_id then 'was funded with the wrong amount or between the wrong accounts'
        else 'is closed but still holds ' || a.balance end as problem
     from ${PAYMENTS_SCHEMA}.budgets b
     join ${PAYMENTS_SCHEMA}.accounts a on a.id = b.account_id
     left join ${PAYMENTS_SCHEMA}.transfers f on f.id = 'budget:' || b.job_id and f.kind = 'budget'
     where f.id is null
        or f.amount <> b.amount or f.debit_account_id <> b.funder_account_id or f.credit_account_id <> b.account_id
        or (b.closed_at is not null and a.balance <> 0)
     order by b.job_id`,
    [],
    'all',
  );
}

/** Per hold: its settlement rows (counted: the primary key allows one, the check does not rely on it) and what its transfers moved, by kind. */
const HOLD_LEDGER_SQL = `
  select h.hold_id, h.status, h.amount,
         coalesce(s.settlements, 0) as settlements, s.kind as settlement_kind, s.worker_amount, s.client_amount, s.fee_amount, s.model_cost_amount,
         s.seller_model_cost_amount,
         coalesce(t.held_in, 0) as held_in, coalesce(t.released, 0) as released, coalesce(t.fees, 0) as fees, coalesce(t.refunded, 0) as refunded,
         coalesce(t.model_costs, 0) as model_costs, coalesce(t.seller_model_costs, 0) as seller_model_costs
  from ${PAYMENTS_SCHEMA}.holds h
  left join (
    select hold_id, count(*) as settlements, min(kind) as kind,
           sum(worker_amount) as worker_amount, sum(client_amount) as client_amount, sum(fee_amount) as fee_amount,
           sum(model_cost_amount) as model_cost_amount, sum(seller_model_cost_amount) as seller_model_cost_amount
    from ${PAYMENTS_SCHEMA}.hold_settlements group by hold_id
  ) s on s.hold_id = h.hold_id
  left join (
    select hold_id,
           sum(amount) filter (where kind = 'hold') as held_in,
           sum(amount) filter (where kind = 'release') as released,
           sum(amount) filter (where kind = 'fee') as fees,
           sum(amount) filter (where kind = 'refund') as refunded,
           sum(amount) filter (where kind = 'model_cost') as model_costs,
           sum(amount) filter (where kind = 'seller_model_cost') as seller_model_costs
    from ${PAYMENTS_SCHEMA}.transfers where hold_id is not null group by hold_id
  ) t on t.hold_id = h.hold_id
  order by h.hold_id`;

export function holdLedgerRows(em: EntityManager): Promise<HoldLedgerRow[]> {
  return em.execute<HoldLedgerRow[]>(HOLD_LEDGER_SQL, [], 'all');
}
