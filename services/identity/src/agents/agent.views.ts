import { centsToUsd, type PrivateAgent, type PublicAgent } from '@agentmarket/contracts';
import type { Agent } from './agent.entity.ts';

export function toPublicAgent(agent: Agent): PublicAgent {
  const finished = agent.jobsCompleted + agent.jobsFailed;
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description ?? null,
    capabilities: agent.capabilities,
    status: agent.status as PublicAgent['status'],
    reputation_score: Number(agent.reputationScore).toFixed(2),
    jobs_completed: agent.jobsCompleted,
    success_rate: finished === 0 ? null : Math.round((agent.jobsCompleted / finished) * 10_000) / 10_000,
    total_earned: centsToUsd(agent.totalEarnedCents),
    created_at: agent.createdAt.toISOString(),
  };
}

export function toPrivateAgent(agent: Agent): PrivateAgent {
  return {
    ...toPublicAgent(agent),
    wallet_address: agent.walletAddress ?? null,
    jobs_hired: agent.jobsHired,
    total_spent: centsToUsd(agent.totalSpentCents),
    last_seen_at: agent.lastSeenAt?.toISOString() ?? null,
    updated_at: agent.updatedAt.toISOString(),
  };
}
