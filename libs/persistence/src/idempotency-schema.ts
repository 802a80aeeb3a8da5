import { quoteIdent } from './outbox-schema.ts';

/**
 * DDL of the table where a service keeps the Idempotency-Keys of the
 * commands it applied, each written in the same transaction as the effect:
 * the hash of the scoped key (never the key), the hash of the command, and
 * the reply sealed with a key derived from the Idempotency-Key.
 */
export function idempotencyDdl(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `create table ${s}.idempotency_keys (
      key_hash char(64) primary key,
      subject text not null,
      request_hash char(64) not null,
      sealed_reply bytea,
      created_at timestamptz not null default now()
    )`,
    `create index idempotency_keys_created_at_idx on ${s}.idempotency_keys (created_at)`,
  ];
}
