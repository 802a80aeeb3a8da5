import { Migration } from '@mikro-orm/migrations';

/** A job of a hosted service is worked by the executor: funding it also queues its work item. */
export class Migration20261121050000_hosted_jobs extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table jobs.jobs add column hosted boolean not null default false');
  }
}
