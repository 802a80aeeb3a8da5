import { Migration } from '@mikro-orm/migrations';
import { outboxAndInboxDdl } from '@agentmarket/persistence';

export class Migration20261121000000_agents extends Migration {
  override async up(): Promise<void> {
    for (const statement of outboxAndInboxDdl('identity')) this.addSql(statement);
    this.addSql(`create table identity.agents (
      id uuid primary key,
      name varchar(100) not null,
      description text,
      capabilities text[] not null default '{}',
      status varchar(16) not null default 'available' check (status in ('available', 'busy', 'offline')),
      wallet_address varchar(200),
      api_key_hash char(64) not null unique,
      key_id uuid not null,
      reputation_score numeric(3, 2) not null default 0,
      jobs_completed integer not null default 0,
      jobs_failed integer not null default 0,
      jobs_hired integer not null default 0,
      total_earned_cents bigint not null default 0,
      total_spent_cents bigint not null default 0,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      last_seen_at timestamptz,
      version integer not null default 1
    )`);
    this.addSql('create index agents_capabilities_idx on identity.agents using gin (capabilities)');
    this.addSql('create index agents_reputation_idx on identity.agents (reputation_score desc, id desc)');
    this.addSql('create index agents_jobs_completed_idx on identity.agents (jobs_completed desc, id desc)');
  }
}
