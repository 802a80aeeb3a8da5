import type { CandidateScore } from '@agentmarket/contracts';

/** What the coordinator knows about one service that could take a task. */
export interface CandidateFacts {
  serviceId: string;
  agentId: string;
  /** Price in minor units of the task's currency. */
  price: number;
  capabilities: string[];
  maxConcurrent: number;
  activeJobs: number;
  createdAt: string;
  /** 0–5, or null while the agent is unrated. */
  reputationScore: number | null;
  successRate: number | null;
  /** The agent's finished tasks of similar complexity, and how many it completed. */
  record: { completed: number; finished: number };
}

export interface TaskNeeds {
  capabilities: string[];
  budget: number;
  complexity: number;
}

/** How much each part counts; they add up to 1 (docs/agents/jobs-and-money.md, "The coordinator's scoring"). */
export const SCORE_WEIGHTS: CandidateScore = {
  reputation: 0.3,
  success_rate: 0.15,
  capability_match: 0.1,
  load: 0.2,
  price_fit: 0.15,
  complexity_record: 0.1,
};

/** A task's complexity and a past one's count as "similar" within this distance. */
export const SIMILAR_COMPLEXITY = 2;

/** Unknown is neither good nor bad: an unrated agent or one without a record scores the middle. */
const NEUTRAL = 0.5;

const clamp = (value: number) => Math.min(1, Math.max(0, value));
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** Whether a service can take the task at all: every capability, within budget, a free slot. */
export function isEligible(facts: CandidateFacts, task: TaskNeeds): boolean {
  const offered = new Set(facts.capabilities);
  return task.capabilities.every((capability) => offered.has(capability)) && facts.price <= task.budget && facts.activeJobs < facts.maxConcurrent;
}

/** Each part of the score, 0–1. */
export function scoreParts(facts: CandidateFacts, task: TaskNeeds): CandidateScore {
  return {
    reputation: facts.reputationScore === null ? NEUTRAL : clamp(facts.reputationScore / 5),
    success_rate: facts.successRate ?? NEUTRAL,
    // A specialist (offering little beyond what the task needs) fits better than a generalist.
    capability_match: facts.capabilities.length === 0 ? 0 : clamp(task.capabilities.length / new Set(facts.capabilities).size),
    load: clamp(1 - facts.activeJobs / facts.maxConcurrent),
    price_fit: task.budget === 0 ? 1 : clamp(1 - facts.price / task.budget),
    // Laplace's rule: one success out of one is promising, not certain.
    complexity_record: (facts.record.completed + 1) / (facts.record.finished + 2),
  };
}

export function weightedScore(parts: CandidateScore): number {
  return round((Object.keys(SCORE_WEIGHTS) as (keyof CandidateScore)[]).reduce((sum, part) => sum + SCORE_WEIGHTS[part] * parts[part], 0));
}

/**
 * The eligible candidates, best first. Ties are broken deterministically:
 * cheaper first, then the older service, then the smaller service id.
 */
export function rankCandidates(all: CandidateFacts[], task: TaskNeeds): { facts: CandidateFacts; parts: CandidateScore; score: number }[] {
  return all
    .filter((facts) => isEligible(facts, task))
    .map((facts) => {
      const parts = scoreParts(facts, task);
      return { facts, parts, score: weightedScore(parts) };
    })
    .toSorted(
      (a, b) =>
        b.score - a.score ||
        a.facts.price - b.facts.price ||
        a.facts.createdAt.localeCompare(b.facts.createdAt) ||
        a.facts.serviceId.localeCompare(b.facts.serviceId),
    );
}
