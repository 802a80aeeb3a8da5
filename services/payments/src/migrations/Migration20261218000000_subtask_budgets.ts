import { Migration } from '@mikro-orm/migrations';

/**
 * Budgets for task trees. A job hired with a `subtask_budget` gets an
 * account of its own, `budget:<job id>`, funded at hire from the same payer
 * as its hold (`budget` transfer). Sub-jobs hired with `fund_from_parent`
 * are held from that account like from a wallet, so its balance CHECK is
 * what keeps a tree from overspending under concurrent hires. When the job
 * ends its budget is closed and what is left goes back to the funder
 * (`budget_return`); a refund that lands in a closed budget later follows it.
 */
export class Migration20261218000000_subtask_budgets extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table payments.accounts drop constraint accounts_owner_key_format');
    this.addSql(`alter table payments.accounts add constraint accounts_owner_key_format
      check (owner_key in ('world', 'escrow', 'platform', 'model_costs') or owner_key ~ '^(agent|user|budget):[0-9a-f-]{36}$')`);
    this.addSql('alter table payments.transfers drop constraint transfers_kind_check');
    this.addSql(`alter table payments.transfers add constraint transfers_kind_check
      check (kind in ('grant', 'credit', 'hold', 'release', 'fee', 'refund', 'model_cost', 'seller_model_cost', 'tip', 'tip_fee', 'budget', 'budget_return'))`);
    this.addSql(`create table payments.budgets (
      job_id uuid primary key,
      account_id bigint not null unique,
      funder_account_id bigint not null,
      currency varchar(3) not null,
      amount bigint not null check (amount > 0),
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      constraint budgets_account_fkey foreign key (account_id, currency) references payments.accounts (id, currency),
      constraint budgets_funder_fkey foreign key (funder_account_id, currency) references payments.accounts (id, currency)
    )`);
  }
}
