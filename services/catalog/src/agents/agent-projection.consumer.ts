import { z } from 'zod';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, CONSUMERS, type EventEnvelope } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { CATALOG_SCHEMA } from '../schema.ts';
import { showAgentOnServices } from '../services/services.repository.ts';
import { projectAgentSuspension } from '../services/service-suspension.service.ts';
import { storeAgentIfNewer } from './agents.repository.ts';

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

/** What one agent event asks of the catalog: a new name (and score), or a suspension. */
type AgentChange = { kind: 'agent'; agent: ProjectedAgent } | { kind: 'suspension' };

function parseAgent(envelope: EventEnvelope): ProjectedAgent {
  const parsed = projectedAgentSchema.safeParse(envelope.data.agent);
  // No retry can fix a malformed event: a permanent error sends it to the dead letter stream.
  if (!parsed.success) throw new AppError('validation_failed', `${envelope.type} without a valid data.agent`, { event_id: envelope.id });
  return parsed.data;
}

/**
 * The durable consumer that keeps catalog.agents, and the agent fields of
 * every service, in step with identity's agent events; a batch is one
 * transaction, applied in stream order. Other agent events carry nothing the catalog shows.
 */
export function agentProjectionConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<AgentChange>({
    declaration: CONSUMERS.catalog.agentProjection,
    orm,
    schema: CATALOG_SCHEMA,
    reads: [...PROJECTED_TYPES, ...SUSPENSION_TYPES],
    prepare: (envelope) => (SUSPENSION_TYPES.has(envelope.type) ? { kind: 'suspension' } : { kind: 'agent', agent: parseAgent(envelope) }),
    apply: async (em, events) => {
      for (const { envelope, change } of events) {
        if (change.kind === 'agent') await storeIfNewer(em, change.agent, envelope.aggregate_version);
        else await projectAgentSuspension(em, envelope);
      }
    },
  });
}

/**
 * Applies an agent_registered/agent_updated event. Events may arrive out of
 * order (redelivery, replicas), so only a newer aggregate version replaces the
 * stored name. The score in identity's view is a copy of reputation's and may
 * lag it: it stands only until reputation's own events have reached the catalog.
 */
async function storeIfNewer(em: EntityManager, agent: ProjectedAgent, version: number): Promise<void> {
  const row = await storeAgentIfNewer(em, agent, version);
  if (!row) return;
  // Most agent events (status, counters) change neither: then no service row is rewritten.
  await showAgentOnServices(em, agent.id, row.name, row.reputation_score);
}
