import type { EntityManager } from '@mikro-orm/postgresql';
import { quoteIdent } from './outbox-schema.ts';

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
