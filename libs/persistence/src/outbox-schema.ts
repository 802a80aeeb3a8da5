import { Migration } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';

/**
 * DDL of the outbox and inbox tables that every service schema carries.
 * A service's first migration adds these statements.
 *
 * - outbox: events written in the same transaction as the change they
 *   describe; the relay publishes them after commit. `seq` keeps commit
 *   order for the relay, which the writing process wakes (outbox-wake.ts).
 * - inbox: (consumer, event id) pairs already processed, written in the same
 *   transaction as a consumer's effect, so a redelivered event is a no-op.
 */
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
    `create table ${s}.inbox (
      consumer text not null,
      event_id uuid not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id)
    )`,
  ];
}

/**
 * The migration that removes what schemas created before outbox-wake.ts
 * carry: a trigger that sent NOTIFY on every outbox insert, for relays that
 * LISTENed. Every service appends it to its migrations under this name.
 */
export function outboxWithoutNotifyMigration(schema: string): MigrationObject {
  const s = quoteIdent(schema);
  class OutboxWithoutNotify extends Migration {
    override async up(): Promise<void> {
      this.addSql(`drop trigger if exists outbox_notify on ${s}.outbox`);
      this.addSql(`drop function if exists ${s}.notify_outbox()`);
    }
  }
  return { name: 'Migration20261230000000_outbox_without_notify', class: OutboxWithoutNotify };
}

/**
 * BRIN indexes on when outbox rows were written and inbox rows processed.
 * The retention pruner finds the old rows through them by range; a BRIN
 * index is a summary per block range of an append-mostly table, so unlike
 * a B-tree it costs next to nothing on the hot path's inserts.
 */
export function eventRecordTimeIndexesDdl(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `create index if not exists outbox_created_at_brin on ${s}.outbox using brin (created_at)`,
    `create index if not exists inbox_processed_at_brin on ${s}.inbox using brin (processed_at)`,
  ];
}

/** The migration that adds eventRecordTimeIndexesDdl to a service schema; every service appends it under this name. */
export function eventRecordTimeIndexesMigration(schema: string): MigrationObject {
  class EventRecordTimeIndexes extends Migration {
    override async up(): Promise<void> {
      for (const statement of eventRecordTimeIndexesDdl(schema)) this.addSql(statement);
    }
  }
  return { name: 'Migration20261231000000_event_record_time_indexes', class: EventRecordTimeIndexes };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdent(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}
