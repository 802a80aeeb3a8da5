import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, CONSUMERS, reputationSchema, type EventEnvelope, type Reputation } from '@agentmarket/contracts';
import { applyOnce, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
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
  const parsed = reputationSchema.safeParse(envelope.data);
  if (!parsed.success) throw new AppError('validation_failed', 'Malformed reputation_updated event', { event_id: envelope.id });
  const figures = parsed.data;
  return applyOnce(orm, 'identity', declaration.durable, envelope, async (em) => {
    const agent = await em.findOne(AgentSchema, { id: figures.agent_id });
    if (!agent || agent.reputationVersion >= envelope.aggregate_version) return;
    agent.reputationVersion = envelope.aggregate_version;
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
    await appendToOutbox(em, 'identity', [
      {
        type: 'agent_updated',
        aggregateId: agent.id,
        aggregateVersion: agent.version + 1,
        actor: { type: 'system', id: null },
        data: {
          agent_id: agent.id,
          // The public figures only: spending and hiring stay on the private profile.
          changes: {
            reputation_score: figures.reputation_score,
            jobs_completed: figures.jobs_completed,
            success_rate: figures.success_rate,
            on_time_rate: figures.on_time_rate,
          },
          agent: toPublicAgent(agent),
        },
      },
    ]);
  });
}

/** The durable consumer of `evt.reputation.>` that keeps profiles' figures current. */
export function reputationProjectionConsumer(orm: MikroORM): ConsumerSpec {
  return { declaration, handle: (envelope) => projectReputation(orm, envelope) };
}
