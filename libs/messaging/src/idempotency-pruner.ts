import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '@agentmarket/observability';
import { quoteIdent } from '@agentmarket/persistence';
import { pruneIdempotencyKeys } from './command-transaction.ts';

/** How long a service remembers an Idempotency-Key (API.md: 24 h). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;
const PRUNE_EVERY_MS = 15 * 60 * 1000;

/** Deletes expired Idempotency-Key records now and then, when the schema has the table. Any replica may: deletes are idempotent. */
export async function startIdempotencyPruner(orm: MikroORM, schema: string, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const [row] = await orm.em.fork().execute<{ present: boolean }[]>(`select to_regclass(?) is not null as present`, [`${quoteIdent(schema)}.idempotency_keys`], 'all');
  if (!row?.present) return { stop: async () => {} };
  const prune = () =>
    pruneIdempotencyKeys(orm, schema, IDEMPOTENCY_RETENTION_HOURS)
      .then((count) => count > 0 && logger.info({ count }, 'expired idempotency keys pruned'))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not prune idempotency keys'));
  const timer = setInterval(() => void prune(), PRUNE_EVERY_MS);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}
