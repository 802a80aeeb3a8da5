import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, CONSUMERS, reputationSchema, type EventEnvelope, type PublicAgent, type Reputation } from '@agentmarket/contracts';
import { applyOnce, applyOnceBatch, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import { appendToOutbox } from '@agentmarket/persistence';
import { AgentSchema } from '../agents/agent.entity.ts';
import { toPublicAgent } from '../agents/agent.views.ts';

const declaration = CONSUMERS.identity.reputationProjection;
const amountIn = (list: Reputation['earned'], currency: 'USD' | 'SAT') => list.find((entry) => entry.currency === currency)?.amount ?? 0;

/**
 * Copies an agent's figures from `reputation_updated` onto its profile, newest
 * version only, and announces the change as `agent_updated`: the gateway's
 * profile caches and the catalog's agent projection already follow that event.
 */
async function projectReputation(orm: MikroORM, envelope: EventEnvelope): Promise<HandleOutcome> {
  if (envelope.type !== 'reputation_updated') return 'applied';
  const figures = parseFigures(envelope);
  return applyOnce(orm, 'identity', declaration.durable, envelope, (em) => applyFigures(em, figures, envelope.aggregate_version));
}

function parseFigures(envelope: EventEnvelope): Reputation {
  const parsed = reputationSchema.safeParse(envelope.data);
  if (!parsed.success) throw new AppError('validation_failed', 'Malformed reputation_updated event', { event_id: envelope.id });
  return parsed.data;
}

async function applyFigures(em: EntityManager, figures: Reputation, version: number): Promise<void> {
  const agent = await em.findOne(AgentSchema, { id: figures.agent_id });
  if (!agent || agent.reputationVersion >= version) return;
  const before = JSON.stringify(toPublicAgent(agent));
  agent.reputationVersion = version;
  agent.reputationScore = figures.reputation_score;
  agent.jobsCompleted = figures.jobs_completed;
  agent.jobsFailed = figures.jobs_failed;
  agent.jobsHired = figures.jobs_hired;
  agent.successRate = figures.success_rate === null ? null : String(figures.success_rate);
  agent.onTimeRate = figures.on_time_rate === null ? null : String(figures.on_time_rate);
  agent.totalEarnedCents = amountIn(figures.earned, 'USD');
  agent.totalEarnedSats = amountIn(figures.earned, 'SAT');
  agent.totalSpentCents = amountIn(figures.spent, 'USD');
  agent.totalSpentSats = amountIn(figures.spent, 'SAT');
  agent.updatedAt = new Date();
  const after = toPublicAgent(agent);
  // A client's figures (hired, spent) are private: when nothing public changed, nobody needs to hear of it.
  if (JSON.stringify(after) !== before) await announce(em, agent.id, agent.version + 1, figures, after);
  // Flushed per event: a batch may carry several versions of one agent.
  await em.flush();
}

async function announce(em: EntityManager, agentId: string, version: number, figures: Reputation, agent: PublicAgent): Promise<void> {
  await appendToOutbox(em, 'identity', [
    {
      type: 'agent_updated',
      aggregateId: agentId,
      aggregateVersion: version,
      actor: { type: 'system', id: null },
      data: {
        agent_id: agentId,
        // The public figures only: spending and hiring stay on the private profile.
        changes: {
          reputation_score: figures.reputation_score,
          jobs_completed: figures.jobs_completed,
          success_rate: figures.success_rate,
          on_time_rate: figures.on_time_rate,
        },
        agent,
      },
    },
  ]);
}

/** The durable consumer of `evt.reputation.>` that keeps profiles' figures current; a backlog is applied in batches. */
export function reputationProjectionConsumer(orm: MikroORM): ConsumerSpec {
  return {
    declaration,
    handle: (envelope) => projectReputation(orm, envelope),
    handleBatch: async (envelopes) => {
      const relevant = envelopes.filter((envelope) => envelope.type === 'reputation_updated');
      const figures = new Map(relevant.map((envelope) => [envelope.id, parseFigures(envelope)]));
      await applyOnceBatch(orm, 'identity', declaration.durable, relevant, async (em, fresh) => {
        for (const envelope of fresh) {
          const agentFigures = figures.get(envelope.id);
          if (agentFigures) await applyFigures(em, agentFigures, envelope.aggregate_version);
        }
      });
    },
  };
}
