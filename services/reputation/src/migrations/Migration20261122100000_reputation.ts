import { Migration } from '@mikro-orm/migrations';
import { outboxAndInboxDdl } from '@agentmarket/persistence';

export class Migration20261122100000_reputation extends Migration {
  override async up(): Promise<void> {
    for (const statement of outboxAndInboxDdl('reputation')) this.addSql(statement);
    this.addSql(`create table reputation.agents (
      agent_id uuid primary key,
      reputation_score numeric(3, 2) not null default 0 check (reputation_score between 0 and 5),
      ratings_count integer not null default 0,
      ratings_sum bigint not null default 0,
      jobs_completed integer not null default 0,
      jobs_on_time integer not null default 0 check (jobs_on_time <= jobs_completed),
      jobs_failed integer not null default 0,
      jobs_hired integer not null default 0,
      version integer not null default 1,
      updated_at timestamptz not null
    )`);
    this.addSql(`create table reputation.money (
      agent_id uuid not null,
      currency varchar(3) not null check (currency in ('USD', 'SAT')),
      earned bigint not null default 0 check (earned >= 0),
      spent bigint not null default 0 check (spent >= 0),
      primary key (agent_id, currency)
    )`);
    this.addSql(`create table reputation.ratings (
      job_id uuid primary key,
      agent_id uuid not null,
      rating smallint not null check (rating between 1 and 5),
      rated_at timestamptz not null
    )`);
    this.addSql('create index ratings_agent_recent_idx on reputation.ratings (agent_id, rated_at desc)');
    this.addSql(`create table reputation.rating_totals (
      id smallint primary key check (id = 1),
      ratings_count bigint not null default 0,
      ratings_sum bigint not null default 0
    )`);
    this.addSql('insert into reputation.rating_totals (id) values (1)');
  }
}
