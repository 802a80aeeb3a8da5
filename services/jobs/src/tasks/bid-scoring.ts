import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type CandidateScore, type ServiceView } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import type { ServiceTermsCache } from '../jobs/service-terms-cache.ts';
import { factsOf } from './candidate-facts.ts';
import { scoreParts, weightedScore } from './candidate-scoring.ts';
import type { BidRow } from './bid-rows.ts';
import type { Task } from './task.entity.ts';

/** The coordinator's score of one bid, with what the poster is shown beside it. */
export interface ScoredBid {
  bidId: string;
  score: number;
  breakdown: CandidateScore;
  agentName: string;
  reputationScore: number | null;
  successRate: number | null;
}

/**
 * Scores bids the way the coordinator scores candidates (reputation,
 * success rate, capability match, load, price fit, record on similar
 * tasks), at each bid's own price. A bid whose service has since left the
 * market is not scored (nor can it be hired).
 */
export async function scoreBids(em: EntityManager, bus: BusClient, terms: ServiceTermsCache, task: Task, bids: BidRow[], requestId?: string): Promise<Map<string, ScoredBid>> {
  if (bids.length === 0) return new Map();
  // The terms cache answers most from memory; the rest are asked of the catalog together, not one after another.
  const found = await Promise.all(
    [...new Set(bids.map((bid) => bid.service_id))].map((serviceId) =>
      terms.get(serviceId, requestId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not_found') return undefined;
        throw error;
      }),
    ),
  );
  const services = new Map<string, ServiceView>(found.flatMap((service) => (service ? [[service.id, service]] : [])));
  const facts = new Map((await factsOf(em, bus, [...services.values()], task.complexity, requestId)).map((fact) => [fact.serviceId, fact]));
  const needs = { capabilities: task.capabilitiesRequired, budget: task.budget, complexity: task.complexity };
  const scored = new Map<string, ScoredBid>();
  for (const bid of bids) {
    const fact = facts.get(bid.service_id);
    if (!fact) continue;
    const parts = scoreParts({ ...fact, price: bid.price }, needs);
    scored.set(bid.id, {
      bidId: bid.id,
      score: weightedScore(parts),
      breakdown: parts,
      agentName: services.get(bid.service_id)?.agent_name ?? '',
      reputationScore: fact.reputationScore,
      successRate: fact.successRate,
    });
  }
  return scored;
}
