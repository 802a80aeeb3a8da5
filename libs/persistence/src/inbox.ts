import type { EntityManager } from '@mikro-orm/postgresql';
import { quoteIdent } from './outbox-schema.ts';
import { executePrepared } from './prepared-statements.ts';

/**
 * Records that `consumer` processed `eventId`, inside the caller's
 * transaction. Returns false when it already had: the caller then skips the
 * effect, so a redelivered event changes nothing.
 */
export async function claimInboxEntry(em: EntityManager, schema: string, consumer: string, eventId: string): Promise<boolean> {
  const rows = await em.execute<{ event_id: string }[]>(
    `insert into ${quoteIdent(schema)}.inbox (consumer, event_id) values (?, ?) on conflict do nothing returning event_id`,
    [consumer, eventId],
    'all',
  );
  return rows.length === 1;
}

/** claimInboxEntry for many events in one statement: the ids not processed before, now claimed. */
export async function claimInboxEntries(em: EntityManager, schema: string, consumer: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  // One text whatever the batch size (an array, not a values list): prepared once per connection.
  const rows = await executePrepared<{ event_id: string }>(
    em,
    `insert into ${quoteIdent(schema)}.inbox (consumer, event_id) select ?::text, unnest(?::uuid[]) on conflict do nothing returning event_id`,
    [consumer, eventIds],
  );
  return new Set(rows.map((row) => row.event_id));
}
