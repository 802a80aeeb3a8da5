import { Migration } from '@mikro-orm/migrations';

/**
 * Budgets for task trees: a job's subtask budget (minor units of its
 * currency, held by payments in the job's budget account) and whether the
 * job is paid from its parent's budget rather than its client's wallet.
 */
export class Migration20261209000000_subtask_budgets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table jobs.jobs
      add column subtask_budget bigint not null default 0 check (subtask_budget >= 0),
      add column fund_from_parent boolean not null default false`);
    this.addSql('alter table jobs.jobs add constraint jobs_funded_from_a_parent check (not fund_from_parent or parent_job_id is not null)');
  }
}
