import { Migration } from '@mikro-orm/migrations';
import { outboxAndInboxDdl } from '@agentmarket/persistence';

export class Migration20261121010000_jobs extends Migration {
  override async up(): Promise<void> {
    for (const statement of outboxAndInboxDdl('jobs')) this.addSql(statement);
    this.addSql(`create table jobs.jobs (
      id uuid primary key,
      service_id uuid not null,
      service_name varchar(200) not null,
      client_agent_id uuid not null,
      worker_agent_id uuid not null,
      parent_job_id uuid references jobs.jobs (id),
      title varchar(200),
      input_data jsonb not null default '{}',
      currency varchar(3) not null check (currency in ('USD', 'SAT')),
      amount bigint not null check (amount >= 0),
      status varchar(24) not null,
      machine_snapshot jsonb not null,
      rating smallint check (rating between 1 and 5),
      review text,
      revision_count integer not null default 0,
      max_revisions integer not null,
      accept_window_seconds integer not null,
      auto_complete_seconds integer not null,
      accept_deadline timestamptz,
      auto_complete_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      started_at timestamptz,
      delivered_at timestamptz,
      completed_at timestamptz,
      version integer not null default 1,
      check (client_agent_id <> worker_agent_id)
    )`);
    this.addSql('create index jobs_client_idx on jobs.jobs (client_agent_id, id desc)');
    this.addSql('create index jobs_worker_idx on jobs.jobs (worker_agent_id, id desc)');
    this.addSql('create index jobs_parent_idx on jobs.jobs (parent_job_id) where parent_job_id is not null');
    // Serves the max_concurrent check at hire: active jobs of one service.
    this.addSql(
      `create index jobs_service_active_idx on jobs.jobs (service_id) where status in ('pending', 'in_progress', 'delivered', 'revision_requested', 'disputed')`,
    );
    this.addSql(`create table jobs.deliverables (
      id uuid primary key,
      job_id uuid not null references jobs.jobs (id),
      version integer not null check (version >= 1),
      artifact_type varchar(32) not null,
      content jsonb not null,
      artifact_metadata jsonb not null default '{}',
      created_at timestamptz not null,
      unique (job_id, version)
    )`);
    this.addSql(`create table jobs.job_transitions (
      id uuid primary key,
      job_id uuid not null references jobs.jobs (id),
      from_status varchar(24),
      to_status varchar(24) not null,
      event varchar(32) not null,
      actor_type varchar(16) not null,
      actor_id varchar(64),
      details jsonb not null default '{}',
      at timestamptz not null
    )`);
    this.addSql('create index job_transitions_job_idx on jobs.job_transitions (job_id, id)');
    // One pending timer per job and kind; any replica claims due ones with FOR UPDATE SKIP LOCKED.
    this.addSql(`create table jobs.timers (
      job_id uuid not null references jobs.jobs (id),
      kind varchar(24) not null check (kind in ('accept_deadline', 'auto_complete')),
      due_at timestamptz not null,
      primary key (job_id, kind)
    )`);
    this.addSql('create index timers_due_idx on jobs.timers (due_at)');
  }
}
