import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@agentmarket/observability';
import { pruneEventRecords, quoteIdent } from '@agentmarket/persistence';
import { pruneIdempotencyKeys } from './command-transaction.ts';
import { EVENT_RECORD_RETENTION_DAYS } from './inbox-retention.ts';

/** How long a service remembers an Idempotency-Key (API.md: 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

const PRUNE_EVERY_MS = 15 * 60 * 1000;

/**
 * Now and then deletes what a service keeps only for a while: expired
 * Idempotency-Keys (when the schema has the table) and outbox and inbox
 * rows past EVENT_RECORD_RETENTION_DAYS. Any replica may: deletes are
 * idempotent.
 */
export async function startRetentionPruner(orm: MikroORM, schema: string, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const [row] = await orm.em.fork().execute<{ present: boolean }[]>(`select to_regclass(?) is not null as present`, [`${quoteIdent(schema)}.idempotency_keys`], 'all');
  const hasIdempotencyKeys = row?.present === true;
  const stopping = new AbortController();
  const pruneKeys = async () => {
    if (!hasIdempotencyKeys) return;
    const count = await pruneIdempotencyKeys(orm, schema, IDEMPOTENCY_RETENTION_HOURS);
    if (count > 0) logger.info({ count }, 'expired idempotency keys pruned');
  };
  const pruneRecords = async () => {
    const pruned = await pruneEventRecords(orm.em.fork(), schema, { olderThanDays: EVENT_RECORD_RETENTION_DAYS, signal: stopping.signal });
    if (pruned.outbox + pruned.inbox > 0) logger.info({ ...pruned, older_than_days: EVENT_RECORD_RETENTION_DAYS }, 'old outbox and inbox rows pruned');
  };
  let running: Promise<void> | undefined;
  const prune = () => {
    // One prune at a time: a long first prune of a large backlog is not started again under itself.
    running ??= Promise.all([
      pruneKeys().catch((error: unknown) => logger.warn({ err: error }, 'could not prune idempotency keys')),
      pruneRecords().catch((error: unknown) => logger.warn({ err: error }, 'could not prune outbox and inbox rows')),
    ]).then(() => {
      running = undefined;
    });
  };
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}
