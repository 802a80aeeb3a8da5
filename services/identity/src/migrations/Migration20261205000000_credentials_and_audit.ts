import { Migration } from '@mikro-orm/migrations';

/**
 * Key generations (agent JWTs name the generation they were minted from, so a
 * rotation revokes them), suspension, the audit trail of admin actions, and
 * login counters keyed by more than the email.
 */
export class Migration20261205000000_credentials_and_audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table identity.agents
      add column key_generation integer not null default 1,
      add column suspended_at timestamptz,
      add column suspension_reason varchar(500)`);
    // One row per admin action, written by the audit consumer from the action's event (event id = row id: once).
    this.addSql(`create table identity.admin_audit (
      id uuid primary key,
      admin varchar(200) not null,
      action varchar(64) not null,
      target_type varchar(32) not null,
      target_id varchar(200) not null,
      details jsonb not null,
      at timestamptz not null
    )`);
    this.addSql('create index admin_audit_at_idx on identity.admin_audit (at desc, id desc)');
    // The counter's key is now `acct:<email>|<ip>`, `acct:<email>` or `ip:<ip>` (see login-throttle.ts); old rows are throwaway counters.
    this.addSql('delete from identity.login_attempts');
    this.addSql('alter table identity.login_attempts rename column email to throttle_key');
    this.addSql('alter table identity.login_attempts alter column throttle_key type varchar(400)');
    // A counter is forgotten after a quiet window since its last attempt, not a fixed window from its first.
    this.addSql("alter table identity.login_attempts rename column window_started_at to last_attempt_at");
  }
}
