import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@agentmarket/contracts';
import { claimInboxEntries, claimInboxEntry } from '@agentmarket/persistence';
import type { HandleOutcome } from './consumer-runner.ts';
import { outlivedItsInboxRow } from './inbox-retention.ts';

/**
 * Applies a consumer's effect at most once per event: the inbox row and the
 * effect commit in one transaction, so a redelivery finds the row and skips.
 * An event older than inbox rows are kept is a duplicate too (see
 * inbox-retention.ts).
 */
export async function applyOnce(
  orm: MikroORM,
  schema: string,
  consumer: string,
  envelope: EventEnvelope,
  effect: (em: EntityManager) => Promise<void>,
): Promise<HandleOutcome> {
  if (outlivedItsInboxRow(envelope)) return 'duplicate';
  return orm.em.fork().transactional(async (em) => {
    if (!(await claimInboxEntry(em, schema, consumer, envelope.id))) return 'duplicate';
    await effect(em);
    return 'applied';
  });
}

/**
 * applyOnce for a batch: one transaction, one inbox statement; `effect`
 * receives only the events this consumer has not processed before (nor
 * outlived their inbox rows), in order.
 */
export async function applyOnceBatch(
  orm: MikroORM,
  schema: string,
  consumer: string,
  envelopes: EventEnvelope[],
  effect: (em: EntityManager, fresh: EventEnvelope[]) => Promise<void>,
): Promise<void> {
  const current = envelopes.filter((envelope) => !outlivedItsInboxRow(envelope));
  if (current.length === 0) return;
  await orm.em.fork().transactional(async (em) => {
    const claimed = await claimInboxEntries(em, schema, consumer, [...new Set(current.map((envelope) => envelope.id))]);
    const fresh = current.filter((envelope) => claimed.delete(envelope.id));
    if (fresh.length > 0) await effect(em, fresh);
  });
}
