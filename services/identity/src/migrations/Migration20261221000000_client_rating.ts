import { Migration } from '@mikro-orm/migrations';

/** The agent as a client, projected from reputation_updated like its worker figures: null until one of its workers rated it. */
export class Migration20261221000000_client_rating extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table identity.agents add column client_rating numeric(3, 2)');
    this.addSql('alter table identity.agents add column client_jobs_rated integer not null default 0');
  }
}
