import type { EntityManager } from '@mikro-orm/postgresql';
import { quoteIdent } from './outbox-schema.ts';

/** Rows one delete statement removes at most: short statements, so a large first prune does not hold locks or WAL for long. */
const ROWS_PER_DELETE = 5000;
/** Delete statements of one prune at most, per table; what is left goes at the next prune. */
const DELETES_PER_PRUNE = 200;

export interface EventRecordsPruned {
  outbox: number;
  inbox: number;
}

/**
 * Deletes the outbox rows sent more than `olderThanDays` ago and the inbox
 * rows processed that long ago, in statements of at most `rowsPerDelete`
 * rows. An outbox row not sent yet stays, however old. The rows are found
 * through the BRIN indexes of eventRecordTimeIndexesDdl: an outbox row is
 * written before it is sent, so one sent before the cut was also written
 * before it. Deletes are idempotent: replicas may prune at the same time.
 * An aborted signal stops it after the statement under way (shutdown).
 */
export async function pruneEventRecords(
  em: EntityManager,
  schema: string,
  options: { olderThanDays: number; rowsPerDelete?: number; deletesPerPrune?: number; signal?: AbortSignal },
): Promise<EventRecordsPruned> {
  const s = quoteIdent(schema);
  const limit = options.rowsPerDelete ?? ROWS_PER_DELETE;
  const cut = 'now() - make_interval(days => ?)';
  const outbox = await deleteInBatches(
    em,
    `delete from ${s}.outbox where ctid = any(array(
       select ctid from ${s}.outbox where created_at < ${cut} and published_at < ${cut} limit ?))`,
    [options.olderThanDays, options.olderThanDays, limit],
    { limit, maxStatements: options.deletesPerPrune ?? DELETES_PER_PRUNE, signal: options.signal },
  );
  const inbox = await deleteInBatches(
    em,
    `delete from ${s}.inbox where ctid = any(array(select ctid from ${s}.inbox where processed_at < ${cut} limit ?))`,
    [options.olderThanDays, limit],
    { limit, maxStatements: options.deletesPerPrune ?? DELETES_PER_PRUNE, signal: options.signal },
  );
  return { outbox, inbox };
}

/** Runs a bounded delete until it removes fewer rows than its bound (nothing more is due), `maxStatements` ran or the signal aborts. */
async function deleteInBatches(
  em: EntityManager,
  sql: string,
  params: unknown[],
  bounds: { limit: number; maxStatements: number; signal: AbortSignal | undefined },
): Promise<number> {
  const { limit, maxStatements, signal } = bounds;
  let deleted = 0;
  for (let statement = 0; statement < maxStatements && !signal?.aborted; statement += 1) {
    const result = (await em.getConnection().execute(sql, params, 'run')) as { affectedRows?: number };
    const count = result.affectedRows ?? 0;
    deleted += count;
    if (count < limit) break;
  }
  return deleted;
}
