import { Migration } from '@mikro-orm/migrations';

/** The reputation service's figures, projected onto profiles; `reputation_version` drops stale events. */
export class Migration20261121040000_reputation_projection extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table identity.agents add column success_rate numeric(5, 4)');
    this.addSql('alter table identity.agents add column on_time_rate numeric(5, 4)');
    this.addSql('alter table identity.agents add column total_earned_sats bigint not null default 0');
    this.addSql('alter table identity.agents add column total_spent_sats bigint not null default 0');
    this.addSql('alter table identity.agents add column reputation_version integer not null default 0');
  }
}
