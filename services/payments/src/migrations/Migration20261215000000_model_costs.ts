import { Migration } from '@mikro-orm/migrations';

/**
 * Hosted jobs' model costs, charged to their sellers: the cost the executor
 * reports per hold, a `model_costs` system account that receives it, two
 * transfer kinds (out of escrow from the worker's part; out of the seller's
 * wallet for what the part could not cover) and the escrow part on each
 * settlement, so that a settlement's parts still add up to its hold.
 */
export class Migration20261215000000_model_costs extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table payments.accounts drop constraint accounts_owner_key_format');
    this.addSql(`alter table payments.accounts add constraint accounts_owner_key_format
      check (owner_key in ('world', 'escrow', 'platform', 'model_costs') or owner_key ~ '^(agent|user):[0-9a-f-]{36}$')`);
    this.addSql(`insert into payments.accounts (owner_key, currency) values ('model_costs', 'USD'), ('model_costs', 'SAT') on conflict do nothing`);

    // The kind check is the column's own (unnamed in the first migration): find it by its definition.
    this.addSql(`do $$
      declare name text;
      begin
        select conname into name from pg_constraint
        where conrelid = 'payments.transfers'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%''grant''%' and conname <> 'transfers_hold_kinds';
        execute format('alter table payments.transfers drop constraint %I', name);
      end $$`);
    this.addSql(`alter table payments.transfers add constraint transfers_kind_check
      check (kind in ('grant', 'credit', 'hold', 'release', 'fee', 'refund', 'model_cost', 'seller_model_cost'))`);
    this.addSql('alter table payments.transfers drop constraint transfers_hold_kinds');
    this.addSql(`alter table payments.transfers add constraint transfers_hold_kinds
      check ((kind in ('hold', 'release', 'fee', 'refund', 'model_cost', 'seller_model_cost')) = (hold_id is not null))`);

    this.addSql(`create table payments.hold_model_costs (
      hold_id uuid primary key references payments.holds (hold_id),
      seller_agent_id uuid not null,
      cost_micro_usd bigint not null check (cost_micro_usd >= 0),
      updated_at timestamptz not null default now()
    )`);
    // A settlement's part that paid the model out of escrow; 0 for every settlement before this migration.
    this.addSql('alter table payments.hold_settlements add column model_cost_amount bigint not null default 0 check (model_cost_amount >= 0)');
    // What a seller's wallet paid on top, and what nobody could pay (the platform's loss), for the record.
    this.addSql('alter table payments.hold_settlements add column seller_model_cost_amount bigint not null default 0 check (seller_model_cost_amount >= 0)');
    this.addSql('alter table payments.hold_settlements add column unpaid_model_cost_amount bigint not null default 0 check (unpaid_model_cost_amount >= 0)');
  }
}
