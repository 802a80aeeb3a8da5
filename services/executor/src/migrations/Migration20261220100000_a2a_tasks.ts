import { Migration } from '@mikro-orm/migrations';

/**
 * One row per message the executor sends to a seller's A2A endpoint: the
 * hire (round 0) and each revision request (round n). Written before the
 * send, completed with the seller's task id after it, so a redelivered work
 * message follows the task it already created instead of sending again.
 */
export class Migration20261220100000_a2a_tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table executor.a2a_tasks (
      job_id uuid not null,
      round integer not null check (round >= 0),
      message_id text not null,
      a2a_url text not null,
      remote_task_id text,
      remote_context_id text,
      sent_at timestamptz not null default now(),
      finished_at timestamptz,
      outcome text,
      primary key (job_id, round)
    )`);
  }
}
