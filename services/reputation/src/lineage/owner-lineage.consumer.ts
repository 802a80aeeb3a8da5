import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AppError, CONSUMERS, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { idSchema, parseEventData } from '../outcomes/event-parsing.ts';
import { insertOwnerRoot, ownerRootsOf } from './agent-owners.repository.ts';
import { ownRoot, rootOf } from './owner-roots.ts';

/** `registered_by`: the verified caller that registered the agent, null when anonymous; absent in events older than it. */
const registeredSchema = z.looseObject({
  registered_by: z.object({ type: z.enum(['agent', 'user']), id: idSchema }).nullish(),
});

/**
 * Projects each new agent's owner root from its `agent_registered` event.
 * The first root recorded for an agent stays (registration happens once), so
 * a redelivered event changes nothing and needs no inbox entry.
 */
export function ownerLineageConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer({
    declaration: CONSUMERS.reputation.ownerLineage,
    reads: ['agent_registered'],
    applyIdempotently: async (events) => {
      for (const { envelope } of events) await recordOwner(orm, envelope);
    },
  });
}

async function recordOwner(orm: MikroORM, envelope: EventEnvelope): Promise<void> {
  const parsedId = idSchema.safeParse(envelope.aggregate_id);
  // Never applicable: a permanent failure (dead letter), not a retry.
  if (!parsedId.success) throw new AppError('validation_failed', 'Malformed agent_registered event', { aggregate_id: 'not a UUID' });
  const agentId = parsedId.data;
  const registeredBy = parseEventData(envelope, registeredSchema).registered_by ?? null;
  const em = orm.em.fork();
  const registrar = registeredBy ? rootOf(registeredBy, await ownerRootsOf(em, registeredBy.type === 'agent' ? [registeredBy.id] : [])) : undefined;
  const root = registrar ?? ownRoot({ type: 'agent', id: agentId });
  await insertOwnerRoot(em, agentId, root);
}
