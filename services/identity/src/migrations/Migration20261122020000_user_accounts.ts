import { Migration } from '@mikro-orm/migrations';

/** People's accounts, and the per-email counter that rate-limits logins. */
export class Migration20261122020000_user_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table identity.users (
      id uuid primary key,
      email varchar(254) not null check (email = lower(email)),
      name varchar(100),
      password_hash varchar(200) not null,
      role varchar(16) not null check (role in ('buyer', 'admin')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create unique index users_email_key on identity.users (email)');
    // Keyed by email, not user id: an unknown email is counted and locked exactly like a real one.
    this.addSql(`create table identity.login_attempts (
      email varchar(254) primary key,
      failures integer not null,
      window_started_at timestamptz not null,
      locked_until timestamptz
    )`);
  }
}
