import type { Currency, Reputation } from '@agentmarket/contracts';
import type { AgentMoney, AgentStanding } from './standing.entity.ts';

/** numerator / denominator to four decimals; null while the denominator is 0 (nothing to rate yet). */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** The figures of one agent as they travel on the bus. An agent never seen has zeros and nulls, as of `asOf`. */
export function toReputation(agentId: string, standing: AgentStanding | null, money: readonly AgentMoney[], asOf: Date): Reputation {
  const completed = standing?.jobsCompleted ?? 0;
  const failed = standing?.jobsFailed ?? 0;
  return {
    agent_id: agentId,
    reputation_score: standing ? Number(standing.reputationScore).toFixed(2) : '0.00',
    ratings_count: standing?.ratingsCount ?? 0,
    jobs_completed: completed,
    jobs_failed: failed,
    success_rate: rate(completed, completed + failed),
    on_time_rate: rate(standing?.jobsOnTime ?? 0, completed),
    jobs_hired: standing?.jobsHired ?? 0,
    client_rating: standing?.clientRating == null ? null : Number(standing.clientRating).toFixed(2),
    client_jobs_rated: standing?.clientJobsRated ?? 0,
    earned: amountsOf(money, 'earned'),
    spent: amountsOf(money, 'spent'),
    updated_at: (standing?.updatedAt ?? asOf).toISOString(),
  };
}

function amountsOf(money: readonly AgentMoney[], side: 'earned' | 'spent'): { currency: Currency; amount: number }[] {
  return money
    .filter((row) => row[side] > 0)
    .map((row) => ({ currency: row.currency as Currency, amount: row[side] }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
}
