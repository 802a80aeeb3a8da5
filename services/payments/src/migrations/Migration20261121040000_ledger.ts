import { Migration } from '@mikro-orm/migrations';
import { outboxAndInboxDdl } from '@agentmarket/persistence';

/**
 * The double-entry ledger: accounts, immutable transfers, escrow holds and
 * their settlements, and two small totals tables that keep the stats cheap.
 * The invariants live in constraints: non-negative balances (except the
 * outside world), positive transfer amounts, matching currencies (composite
 * foreign keys), one settlement per hold (primary key), immutable rows (triggers).
 */
export class Migration20261121040000_ledger extends Migration {
  override async up(): Promise<void> {
    for (const statement of outboxAndInboxDdl('payments')) this.addSql(statement);
    this.addSql(`create table payments.accounts (
      id bigint generated always as identity primary key,
      owner_key text not null,
      currency varchar(3) not null check (currency in ('USD', 'SAT')),
      balance bigint not null default 0,
      created_at timestamptz not null default now(),
      constraint accounts_owner_currency_key unique (owner_key, currency),
      constraint accounts_id_currency_key unique (id, currency),
      constraint accounts_owner_key_format check (owner_key in ('world', 'escrow', 'platform') or owner_key ~ '^(agent|user):[0-9a-f-]{36}$'),
      constraint accounts_balance_non_negative check (balance >= 0 or owner_key = 'world')
    )`);
    this.addSql(`insert into payments.accounts (owner_key, currency)
      select owner_key, currency from unnest(array['world', 'escrow', 'platform']) as owner_key cross join unnest(array['USD', 'SAT']) as currency`);

    this.addSql(`create table payments.holds (
      hold_id uuid primary key,
      payer_account_id bigint,
      payee_agent_id uuid,
      currency varchar(3),
      amount bigint not null,
      status varchar(16) not null check (status in ('held', 'released', 'refunded', 'split', 'abandoned')),
      created_at timestamptz not null default now(),
      settled_at timestamptz,
      constraint holds_payer_fkey foreign key (payer_account_id, currency) references payments.accounts (id, currency),
      constraint holds_shape check (
        (status = 'abandoned' and amount = 0 and payer_account_id is null and payee_agent_id is null and currency is null)
        or (status <> 'abandoned' and amount > 0 and payer_account_id is not null and payee_agent_id is not null and currency is not null)
      ),
      constraint holds_settled_at check ((status = 'held') = (settled_at is null))
    )`);
    this.addSql(`create index holds_payer_held_idx on payments.holds (payer_account_id) include (currency, amount) where status = 'held'`);

    this.addSql(`create table payments.transfers (
      id text primary key check (length(id) between 1 and 200),
      seq bigint generated always as identity constraint transfers_seq_key unique,
      debit_account_id bigint not null,
      credit_account_id bigint not null,
      currency varchar(3) not null,
      amount bigint not null constraint transfers_amount_positive check (amount > 0),
      kind varchar(16) not null check (kind in ('grant', 'credit', 'hold', 'release', 'fee', 'refund')),
      hold_id uuid references payments.holds (hold_id),
      created_at timestamptz not null default now(),
      constraint transfers_distinct_accounts check (debit_account_id <> credit_account_id),
      constraint transfers_hold_kinds check ((kind in ('hold', 'release', 'fee', 'refund')) = (hold_id is not null)),
      constraint transfers_debit_fkey foreign key (debit_account_id, currency) references payments.accounts (id, currency),
      constraint transfers_credit_fkey foreign key (credit_account_id, currency) references payments.accounts (id, currency)
    )`);
    this.addSql('create index transfers_debit_idx on payments.transfers (debit_account_id, seq desc)');
    this.addSql('create index transfers_credit_idx on payments.transfers (credit_account_id, seq desc)');
    this.addSql('create index transfers_hold_idx on payments.transfers (hold_id) where hold_id is not null');

    this.addSql(`create table payments.hold_settlements (
      hold_id uuid primary key references payments.holds (hold_id),
      kind varchar(16) not null check (kind in ('release', 'refund', 'split')),
      worker_amount bigint not null check (worker_amount >= 0),
      client_amount bigint not null check (client_amount >= 0),
      fee_amount bigint not null check (fee_amount >= 0),
      settled_at timestamptz not null default now()
    )`);

    this.addSql(`create function payments.reject_change() returns trigger language plpgsql as $$
      begin
        raise exception 'payments.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP using errcode = 'restrict_violation';
      end $$`);
    for (const table of ['transfers', 'hold_settlements']) {
      this.addSql(`create trigger ${table}_immutable before update or delete on payments.${table} for each row execute function payments.reject_change()`);
      this.addSql(`create trigger ${table}_no_truncate before truncate on payments.${table} for each statement execute function payments.reject_change()`);
    }

    this.addSql(`create table payments.currency_totals (
      currency varchar(3) primary key check (currency in ('USD', 'SAT')),
      settled_volume bigint not null default 0 check (settled_volume >= 0)
    )`);
    this.addSql(`insert into payments.currency_totals (currency) values ('USD'), ('SAT')`);
    this.addSql(`create table payments.worker_earnings (
      agent_id uuid not null,
      currency varchar(3) not null check (currency in ('USD', 'SAT')),
      amount bigint not null check (amount >= 0),
      primary key (agent_id, currency)
    )`);
    this.addSql('create index worker_earnings_top_idx on payments.worker_earnings (currency, amount desc, agent_id)');
  }
}
