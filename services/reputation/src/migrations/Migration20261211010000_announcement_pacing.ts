import { Migration } from '@mikro-orm/migrations';

/**
 * Paced announcements: when each agent's figures were last announced, and
 * the agents whose newer figures wait for their turn (at most one
 * reputation_updated per agent per REPUTATION_ANNOUNCE_INTERVAL_MS).
 */
export class Migration20261211010000_announcement_pacing extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table reputation.agents add column announced_at timestamptz');
    this.addSql(`create table reputation.announcements (
      agent_id uuid primary key,
      due_at timestamptz not null
    )`);
    this.addSql('create index announcements_due_idx on reputation.announcements (due_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table reputation.announcements');
    this.addSql('alter table reputation.agents drop column announced_at');
  }
}
