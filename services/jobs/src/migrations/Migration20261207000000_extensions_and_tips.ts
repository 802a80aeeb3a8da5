import { Migration } from '@mikro-orm/migrations';

/**
 * Deadline extensions and tips. A started job keeps the worker's pending
 * extension request beside its deadline (one at a time, as JSON: minutes,
 * reason, requested_at). A tip is a row per tip, written first as `pending`
 * (keyed by the client's Idempotency-Key, so a retried tip continues the
 * same one), then `recorded` once payments moved the money and the event is
 * in the outbox.
 */
export class Migration20261207000000_extensions_and_tips extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table jobs.jobs add column pending_extension jsonb');
    this.addSql(`create table jobs.tips (
      id uuid primary key,
      job_id uuid not null references jobs.jobs (id),
      currency varchar(3) not null,
      amount bigint not null check (amount > 0),
      fee_amount bigint,
      idempotency_key varchar(200),
      status varchar(16) not null check (status in ('pending', 'recorded')),
      created_at timestamptz not null
    )`);
    this.addSql('create unique index tips_job_idempotency_key on jobs.tips (job_id, idempotency_key) where idempotency_key is not null');
    this.addSql('create index tips_job on jobs.tips (job_id)');
  }
}
