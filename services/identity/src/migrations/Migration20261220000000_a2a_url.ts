import { Migration } from '@mikro-orm/migrations';

/** An agent's own A2A endpoint: the executor sends its hires there (null: the agent works them through the API). */
export class Migration20261220000000_a2a_url extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table identity.agents add column a2a_url varchar(2000)');
  }
}
