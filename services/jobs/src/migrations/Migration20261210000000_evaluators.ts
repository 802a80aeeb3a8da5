import { Migration } from '@mikro-orm/migrations';

/**
 * Evaluators: the agent a hire names to judge the delivery instead of the
 * client, its fee (minor units of the job's currency) and the id of the
 * escrow hold that carries the fee (payments releases it to the evaluator on
 * its verdict, or refunds it to the client when the job ends otherwise).
 */
export class Migration20261210000000_evaluators extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table jobs.jobs
      add column evaluator_agent_id uuid,
      add column evaluator_fee bigint not null default 0 check (evaluator_fee >= 0),
      add column evaluator_hold_id uuid`);
    this.addSql(`alter table jobs.jobs add constraint jobs_evaluator_shape
      check ((evaluator_agent_id is null) = (evaluator_hold_id is null) and (evaluator_agent_id is not null or evaluator_fee = 0))`);
  }
}
