import { Migration } from '@mikro-orm/migrations';

/**
 * Wash-trading defences: who owns each agent (the root of its registration
 * lineage: the person or the anonymously registered agent it descends from),
 * and who gave each rating (the client's owner root), so that many ratings
 * from one counterparty weigh like one. Ratings stored before have no rater
 * and each counts as its own.
 */
export class Migration20261205020000_owner_lineage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table reputation.agent_owners (
      agent_id uuid primary key,
      owner_root varchar(64) not null
    )`);
    this.addSql('alter table reputation.ratings add column rater varchar(64)');
  }
}
