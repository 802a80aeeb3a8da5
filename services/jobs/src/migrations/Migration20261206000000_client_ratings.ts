import { Migration } from '@mikro-orm/migrations';

/**
 * The rating a job's worker gives its client once the job ended completed or
 * resolved: at most one per job (the primary key is what makes a second one
 * a conflict, even between two concurrent requests).
 */
export class Migration20261206000000_client_ratings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table jobs.client_ratings (
      job_id uuid primary key references jobs.jobs (id),
      worker_agent_id uuid not null,
      rating smallint not null check (rating between 1 and 5),
      review text,
      created_at timestamptz not null
    )`);
  }
}
