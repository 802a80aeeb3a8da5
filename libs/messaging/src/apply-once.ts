import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@agentmarket/contracts';
import { claimInboxEntry } from '@agentmarket/persistence';
import type { HandleOutcome } from './consumer-runner.ts';

/**
 * Applies a consumer's effect at most once per event: the inbox row and the
 * effect commit in one transaction, so a redelivery finds the row and skips.
 */
export async function applyOnce(
  orm: MikroORM,
  schema: string,
  consumer: string,
  envelope: EventEnvelope,
  effect: (em: EntityManager) => Promise<void>,
): Promise<HandleOutcome> {
  return orm.em.fork().transactional(async (em) => {
    if (!(await claimInboxEntry(em, schema, consumer, envelope.id))) return 'duplicate';
    await effect(em);
    return 'applied';
  });
}
