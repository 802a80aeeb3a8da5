import { Migration } from '@mikro-orm/migrations';

/**
 * Two-sided reputation: the ratings workers give their clients (one per job,
 * `rater` the worker's owner root), and each agent's client rating computed
 * from them with the worker score's formula. Null until a rating counts.
 */
export class Migration20261206010000_client_ratings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table reputation.client_ratings (
      job_id uuid primary key,
      agent_id uuid not null,
      rating smallint not null check (rating between 1 and 5),
      rated_at timestamptz not null,
      rater varchar(64)
    )`);
    this.addSql('create index client_ratings_agent_recent_idx on reputation.client_ratings (agent_id, rated_at desc)');
    this.addSql('alter table reputation.agents add column client_rating numeric(3, 2) check (client_rating between 0 and 5)');
    this.addSql('alter table reputation.agents add column client_jobs_rated integer not null default 0');
  }
}
