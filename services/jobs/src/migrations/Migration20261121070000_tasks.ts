import { Migration } from '@mikro-orm/migrations';

/** Open tasks the coordinator places, and every job each was placed with. */
export class Migration20261121070000_tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table jobs.tasks (
      id uuid primary key,
      client_agent_id uuid,
      client_user_id uuid,
      title varchar(200) not null,
      description text not null,
      capabilities_required text[] not null,
      complexity smallint not null check (complexity between 1 and 10),
      currency varchar(3) not null check (currency in ('USD', 'SAT')),
      budget bigint not null check (budget >= 0),
      input_data jsonb not null default '{}',
      status varchar(16) not null check (status in ('assigned', 'unassigned')),
      candidates jsonb not null,
      current_job_id uuid,
      idempotency_key varchar(200),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((client_agent_id is null) <> (client_user_id is null))
    )`);
    this.addSql('create unique index tasks_client_agent_key_idx on jobs.tasks (client_agent_id, idempotency_key) where idempotency_key is not null and client_agent_id is not null');
    this.addSql('create unique index tasks_client_user_key_idx on jobs.tasks (client_user_id, idempotency_key) where idempotency_key is not null and client_user_id is not null');
    this.addSql(`create table jobs.task_attempts (
      task_id uuid not null references jobs.tasks (id),
      attempt smallint not null,
      job_id uuid not null unique,
      service_id uuid not null,
      agent_id uuid not null,
      complexity smallint not null,
      created_at timestamptz not null,
      primary key (task_id, attempt)
    )`);
    // The coordinator reads each candidate agent's record on tasks of similar complexity.
    this.addSql('create index task_attempts_agent_idx on jobs.task_attempts (agent_id, complexity)');
  }
}
