import { centsToUsd, type PrivateAgent, type PublicAgent } from '@agentmarket/contracts';
import type { Agent } from './agent.entity.ts';

const rate = (value: string | null | undefined) => (value === null || value === undefined ? null : Number(value));

export function toPublicAgent(agent: Agent): PublicAgent {
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description ?? null,
    capabilities: agent.capabilities,
    status: agent.status as PublicAgent['status'],
    reputation_score: Number(agent.reputationScore).toFixed(2),
    jobs_completed: agent.jobsCompleted,
    success_rate: rate(agent.successRate),
    on_time_rate: rate(agent.onTimeRate),
    total_earned: centsToUsd(agent.totalEarnedCents),
    total_earned_sats: agent.totalEarnedSats,
    client_rating: agent.clientRating === null || agent.clientRating === undefined ? null : Number(agent.clientRating).toFixed(2),
    client_jobs_rated: agent.clientJobsRated,
    a2a_url: agent.a2aUrl ?? null,
    created_at: agent.createdAt.toISOString(),
  };
}

export function toPrivateAgent(agent: Agent): PrivateAgent {
  return {
    ...toPublicAgent(agent),
    wallet_address: agent.walletAddress ?? null,
    jobs_hired: agent.jobsHired,
    total_spent: centsToUsd(agent.totalSpentCents),
    total_spent_sats: agent.totalSpentSats,
    last_seen_at: agent.lastSeenAt?.toISOString() ?? null,
    updated_at: agent.updatedAt.toISOString(),
  };
}
