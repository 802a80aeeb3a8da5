import { Migration } from '@mikro-orm/migrations';
import { outboxAndInboxDdl } from '@agentmarket/persistence';

export class Migration20261122200000_executor extends Migration {
  override async up(): Promise<void> {
    // The executor publishes nothing through an outbox yet; the tables keep every schema alike for the runtime's relay.
    for (const statement of outboxAndInboxDdl('executor')) this.addSql(statement);
    this.addSql(`create table executor.llm_calls (
      id bigserial primary key,
      job_id uuid not null,
      attempt integer not null check (attempt >= 1),
      model text not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      outcome text,
      status_code integer,
      prompt_tokens integer,
      completion_tokens integer,
      total_tokens integer,
      usage_estimated boolean not null default false,
      latency_ms integer,
      cost_usd numeric(18, 6),
      finish_reason text,
      content text,
      error text,
      unique (job_id, attempt)
    )`);
    this.addSql('create index llm_calls_started_idx on executor.llm_calls (started_at desc)');
  }
}
