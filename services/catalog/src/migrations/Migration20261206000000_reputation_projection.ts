import { Migration } from '@mikro-orm/migrations';

/**
 * The catalog follows reputation_updated itself (identity no longer
 * re-announces figures as agent_updated): the last reputation version applied
 * per agent, so a stale event changes nothing. An agent's figures may arrive
 * before its registration does, so its name may be unknown for a while.
 */
export class Migration20261206000000_reputation_projection extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table catalog.agents add column reputation_version integer not null default 0, alter column name drop not null');
  }
}
