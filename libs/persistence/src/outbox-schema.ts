/**
 * DDL of the outbox and inbox tables that every service schema carries.
 * A service's first migration adds these statements.
 *
 * - outbox: events written in the same transaction as the change they
 *   describe; the relay publishes them after commit. `seq` keeps commit
 *   order for the relay; the trigger wakes the relay through LISTEN/NOTIFY.
 * - inbox: (consumer, event id) pairs already processed, written in the same
 *   transaction as a consumer's effect, so a redelivered event is a no-op.
 */
export const OUTBOX_CHANNEL = 'agentmarket_outbox';

export function outboxAndInboxDdl(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `create table ${s}.outbox (
      seq bigserial primary key,
      id uuid not null unique,
      subject text not null,
      envelope jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz
    )`,
    `create index outbox_unpublished_idx on ${s}.outbox (seq) where published_at is null`,
    `create or replace function ${s}.notify_outbox() returns trigger language plpgsql as $$
      begin
        perform pg_notify('${OUTBOX_CHANNEL}', TG_TABLE_SCHEMA);
        return null;
      end $$`,
    `create trigger outbox_notify after insert on ${s}.outbox
      for each statement execute function ${s}.notify_outbox()`,
    `create table ${s}.inbox (
      consumer text not null,
      event_id uuid not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id)
    )`,
  ];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}
