import { Migration } from '@mikro-orm/migrations';

/** Hosted services: the LLM configuration the executor runs them with. */
export class Migration20261122010000_hosted_services extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table catalog.services add column hosted jsonb');
  }
}
