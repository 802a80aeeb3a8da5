import { Migration } from '@mikro-orm/migrations';

/** The service's time estimate travels with the job, for the on-time record in reputation. */
export class Migration20261121020000_job_estimates extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table jobs.jobs add column estimated_minutes integer');
  }
}
