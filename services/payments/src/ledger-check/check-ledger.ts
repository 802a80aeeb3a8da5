import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CURRENCIES, type Currency } from '@agentmarket/contracts';
import { holdProblems, type HoldLedgerRow } from './hold-problems.ts';

type Sql = <T>(query: string) => Promise<T[]>;

/**
 * Verifies the ledger's invariants and returns what is wrong (empty when
 * sound). Every query reads one snapshot (repeatable read), so a check on a
 * live database never reports a transfer caught half-posted.
 */
export async function checkLedger(em: EntityManager): Promise<string[]> {
  return em.fork().transactional(
    async (tx) => {
      const sql: Sql = (query) => tx.execute(query, [], 'all');
      return [
        ...(await sumsToZero(sql)),
        ...(await negativeBalances(sql)),
        ...(await balancesMatchTransfers(sql)),
        ...(await currenciesMatch(sql)),
        ...(await escrowMatchesHolds(sql)),
        ...holdProblems(await sql<HoldLedgerRow>(HOLD_LEDGER_SQL)),
        ...(await holdTransfersGoWhereTheyShould(sql)),
        ...(await totalsMatch(sql)),
        ...(await budgetsAreSound(sql)),
      ];
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}

async function sumsToZero(sql: Sql): Promise<string[]> {
  const rows = await sql<{ currency: Currency; total: string }>(
    'select currency, sum(balance) as total from payments.accounts group by currency having sum(balance) <> 0',
  );
  return rows.map((row) => `${row.currency}: the balances of all accounts sum to ${row.total}, not 0`);
}

async function negativeBalances(sql: Sql): Promise<string[]> {
  const rows = await sql<{ owner_key: string; currency: Currency; balance: string }>(
    `select owner_key, currency, balance from payments.accounts where balance < 0 and owner_key <> 'world' order by id`,
  );
  return rows.map((row) => `${row.owner_key} ${row.currency}: negative balance ${row.balance}`);
}

async function balancesMatchTransfers(sql: Sql): Promise<string[]> {
  const rows = await sql<{ owner_key: string; currency: Currency; balance: string; computed: string }>(
    `with moves as (
       select debit_account_id as account_id, -amount as change from payments.transfers
       union all
       select credit_account_id, amount from payments.transfers
     ), totals as (select account_id, sum(change) as total from moves group by account_id)
     select a.owner_key, a.currency, a.balance, coalesce(t.total, 0) as computed
     from payments.accounts a left join totals t on t.account_id = a.id
     where a.balance <> coalesce(t.total, 0) order by a.id`,
  );
  return rows.map((row) => `${row.owner_key} ${row.currency}: balance ${row.balance}, but its transfers add up to ${row.computed}`);
}

async function currenciesMatch(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string; currency: Currency; debit_currency: Currency; credit_currency: Currency }>(
    `select t.id, t.currency, d.currency as debit_currency, c.currency as credit_currency
     from payments.transfers t
     join payments.accounts d on d.id = t.debit_account_id
     join payments.accounts c on c.id = t.credit_account_id
     where d.currency <> t.currency or c.currency <> t.currency`,
  );
  return rows.map((row) => `transfer ${row.id} in ${row.currency} moves between ${row.debit_currency} and ${row.credit_currency} accounts`);
}

async function escrowMatchesHolds(sql: Sql): Promise<string[]> {
  const rows = await sql<{ currency: Currency; escrow: string; held: string }>(
    `select c.currency, coalesce(a.balance, 0) as escrow, coalesce(h.total, 0) as held
     from (values ${CURRENCIES.map((currency) => `('${currency}')`).join(', ')}) as c (currency)
     left join payments.accounts a on a.owner_key = 'escrow' and a.currency = c.currency
     left join (select currency, sum(amount) as total from payments.holds where status = 'held' group by currency) h on h.currency = c.currency
     where coalesce(a.balance, 0) <> coalesce(h.total, 0)`,
  );
  return rows.map((row) => `${row.currency}: escrow holds ${row.escrow}, but the holds still held add up to ${row.held}`);
}

/** Per hold: its settlement rows (counted: the primary key allows one, the check does not rely on it) and what its transfers moved, by kind. */
const HOLD_LEDGER_SQL = `
  select h.hold_id, h.status, h.amount,
         coalesce(s.settlements, 0) as settlements, s.kind as settlement_kind, s.worker_amount, s.client_amount, s.fee_amount, s.model_cost_amount,
         s.seller_model_cost_amount,
         coalesce(t.held_in, 0) as held_in, coalesce(t.released, 0) as released, coalesce(t.fees, 0) as fees, coalesce(t.refunded, 0) as refunded,
         coalesce(t.model_costs, 0) as model_costs, coalesce(t.seller_model_costs, 0) as seller_model_costs
  from payments.holds h
  left join (
    select hold_id, count(*) as settlements, min(kind) as kind,
           sum(worker_amount) as worker_amount, sum(client_amount) as client_amount, sum(fee_amount) as fee_amount,
           sum(model_cost_amount) as model_cost_amount, sum(seller_model_cost_amount) as seller_model_cost_amount
    from payments.hold_settlements group by hold_id
  ) s on s.hold_id = h.hold_id
  left join (
    select hold_id,
           sum(amount) filter (where kind = 'hold') as held_in,
           sum(amount) filter (where kind = 'release') as released,
           sum(amount) filter (where kind = 'fee') as fees,
           sum(amount) filter (where kind = 'refund') as refunded,
           sum(amount) filter (where kind = 'model_cost') as model_costs,
           sum(amount) filter (where kind = 'seller_model_cost') as seller_model_costs
    from payments.transfers where hold_id is not null group by hold_id
  ) t on t.hold_id = h.hold_id
  order by h.hold_id`;

async function holdTransfersGoWhereTheyShould(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string; kind: string }>(
    `select t.id, t.kind
     from payments.transfers t
     join payments.holds h on h.hold_id = t.hold_id
     join payments.accounts d on d.id = t.debit_account_id
     join payments.accounts c on c.id = t.credit_account_id
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
  );
  return rows.map((row) => `transfer ${row.id} (${row.kind}) does not move its hold's money between the right accounts`);
}

async function totalsMatch(sql: Sql): Promise<string[]> {
  const volume = await sql<{ currency: Currency; recorded: string; computed: string }>(
    `select c.currency, c.settled_volume as recorded, coalesce(h.total, 0) as computed
     from payments.currency_totals c
     left join (select currency, sum(amount) as total from payments.holds where status in ('released', 'refunded', 'split') group by currency) h
       on h.currency = c.currency
     where c.settled_volume <> coalesce(h.total, 0)`,
  );
  const earnings = await sql<{ agent_id: string; currency: Currency; recorded: string; computed: string }>(
    `with paid as (
       select h.payee_agent_id as agent_id, t.currency, sum(t.amount) as total
       from payments.transfers t join payments.holds h on h.hold_id = t.hold_id
       where t.kind = 'release' group by 1, 2
     )
     select coalesce(p.agent_id, e.agent_id) as agent_id, coalesce(p.currency, e.currency) as currency,
            coalesce(e.amount, 0) as recorded, coalesce(p.total, 0) as computed
     from paid p full join payments.worker_earnings e on e.agent_id = p.agent_id and e.currency = p.currency
     where coalesce(e.amount, 0) <> coalesce(p.total, 0)`,
  );
  return [
    ...volume.map((row) => `${row.currency}: settled volume recorded as ${row.recorded}, but settled holds add up to ${row.computed}`),
    ...earnings.map((row) => `agent ${row.agent_id} ${row.currency}: earnings recorded as ${row.recorded}, but releases add up to ${row.computed}`),
  ];
}

/**
 * Subtask budgets: each was funded once, by its funder, with its amount; a
 * closed budget holds nothing (what was left, and any refund after, went back).
 */
async function budgetsAreSound(sql: Sql): Promise<string[]> {
  const rows = await sql<{ job_id: string; problem: string }>(
    `select b.job_id, case
        when f.id is null then 'was never funded'
        when f.amount <> b.amount or f.debit_account_id <> b.funder_account_id or f.credit_account_id <> b.account_id then 'was funded with the wrong amount or between the wrong accounts'
        else 'is closed but still holds ' || a.balance end as problem
     from payments.budgets b
     join payments.accounts a on a.id = b.account_id
     left join payments.transfers f on f.id = 'budget:' || b.job_id and f.kind = 'budget'
     where f.id is null
        or f.amount <> b.amount or f.debit_account_id <> b.funder_account_id or f.credit_account_id <> b.account_id
        or (b.closed_at is not null and a.balance <> 0)
     order by b.job_id`,
  );
  return rows.map((row) => `budget of job ${row.job_id} ${row.problem}`);
}
