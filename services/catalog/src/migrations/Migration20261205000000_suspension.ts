import { Migration } from '@mikro-orm/migrations';

/**
 * Admins' suspensions: of a service (its own columns), and of an agent, which
 * identity announces and the catalog projects onto every service of the agent
 * (`agent_suspended`), so search filters one row, never a join.
 */
export class Migration20261205000000_suspension extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table catalog.services
      add column suspended_at timestamptz,
      add column suspension_reason varchar(500),
      add column agent_suspended boolean not null default false`);
    // The last suspension event applied per agent: events may arrive out of order, only a newer one wins.
    this.addSql(`create table catalog.agent_suspensions (
      agent_id uuid primary key,
      suspended boolean not null,
      version integer not null
    )`);
  }
}
