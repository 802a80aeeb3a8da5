import { z } from 'zod';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, CONSUMERS, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, applyOnceBatch, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import { projectAgentSuspension } from '../services/service-suspension.service.ts';

const SCHEMA = 'catalog';
const PROJECTED_TYPES = new Set(['agent_registered', 'agent_updated']);
/** An admin's suspension of an agent takes its services out of search. */
const SUSPENSION_TYPES = new Set(['agent_suspended', 'agent_unsuspended']);

/** The part of identity's public agent the catalog shows beside each service. */
const projectedAgentSchema = z.object({
  id: z.string().uuid(),
  name: z.string().min(1).max(100),
  reputation_score: z.string().regex(/^[0-5](\.\d{1,2})?$/),
});
type ProjectedAgent = z.infer<typeof projectedAgentSchema>;

/** The durable consumer that keeps catalog.agents, and the agent fields of every service, in step with identity. */
export function agentProjectionConsumer(orm: MikroORM): ConsumerSpec {
  const declaration = CONSUMERS.catalog.agentProjection;
  return {
    declaration,
    handle: (envelope) => projectAgentEvent(orm, declaration.durable, envelope),
    // Under load, a batch of agent events is one transaction, applied in stream order.
    handleBatch: async (envelopes) => {
      const projected = envelopes.filter((envelope) => PROJECTED_TYPES.has(envelope.type) || SUSPENSION_TYPES.has(envelope.type));
      const agents = new Map(projected.filter((envelope) => PROJECTED_TYPES.has(envelope.type)).map((envelope) => [envelope.id, parseAgent(envelope)]));
      await applyOnceBatch(orm, SCHEMA, declaration.durable, projected, async (em, fresh) => {
        for (const envelope of fresh) {
          const agent = agents.get(envelope.id);
          if (agent) await storeIfNewer(em, agent, envelope.aggregate_version);
          else if (SUSPENSION_TYPES.has(envelope.type)) await projectAgentSuspension(em, envelope);
        }
      });
    },
  };
}

function parseAgent(envelope: EventEnvelope): ProjectedAgent {
  const parsed = projectedAgentSchema.safeParse(envelope.data.agent);
  // No retry can fix a malformed event: a permanent error sends it to the dead letter stream.
  if (!parsed.success) throw new AppError('validation_failed', `${envelope.type} without a valid data.agent`, { event_id: envelope.id });
  return parsed.data;
}

/**
 * Applies an agent_registered/agent_updated event once. Events may arrive
 * out of order (redelivery, replicas), so only a newer aggregate version
 * replaces the stored agent. Other agent events carry nothing the catalog shows.
 */
export async function projectAgentEvent(orm: MikroORM, consumer: string, envelope: EventEnvelope): Promise<HandleOutcome> {
  if (SUSPENSION_TYPES.has(envelope.type)) return applyOnce(orm, SCHEMA, consumer, envelope, (em) => projectAgentSuspension(em, envelope));
  if (!PROJECTED_TYPES.has(envelope.type)) return 'applied';
  const agent = parseAgent(envelope);
  return applyOnce(orm, SCHEMA, consumer, envelope, (em) => storeIfNewer(em, agent, envelope.aggregate_version));
}

async function storeIfNewer(em: EntityManager, agent: ProjectedAgent, version: number): Promise<void> {
  const stored = await em.execute<{ agent_id: string }[]>(
    `insert into catalog.agents (agent_id, name, reputation_score, version) values (?, ?, ?, ?)
     on conflict (agent_id) do update set name = excluded.name, reputation_score = excluded.reputation_score, version = excluded.version
     where catalog.agents.version < excluded.version
     returning agent_id`,
    [agent.id, agent.name, agent.reputation_score, version],
    'all',
  );
  if (stored.length === 0) return;
  // Most agent events (status, counters) change neither: then no service row is rewritten.
  await em.execute(
    'update catalog.services set agent_name = ?, agent_reputation = ? where agent_id = ? and (agent_name <> ? or agent_reputation <> ?)',
    [agent.name, agent.reputation_score, agent.id, agent.name, agent.reputation_score],
    'run',
  );
}
