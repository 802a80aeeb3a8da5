import { priceFields, type BidView } from '@agentmarket/contracts';
import type { BidRow } from './bid-rows.ts';
import type { ScoredBid } from './bid-scoring.ts';

/** A bid as the API shows it; the bidder's figures and the score only in the poster's view. */
export function toBidView(bid: BidRow, scored: ScoredBid | null, viewer: 'poster' | 'bidder'): BidView {
  const poster = viewer === 'poster' && scored !== null;
  return {
    id: bid.id,
    task_id: bid.task_id,
    agent_id: bid.agent_id,
    service_id: bid.service_id,
    currency: bid.currency,
    ...priceFields({ currency: bid.currency, amount: bid.price }),
    eta_minutes: bid.eta_minutes,
    note: bid.note,
    status: bid.status,
    job_id: bid.job_id,
    created_at: bid.created_at.toISOString(),
    agent_name: poster ? scored.agentName : null,
    reputation_score: poster && scored.reputationScore !== null ? scored.reputationScore.toFixed(2) : null,
    success_rate: poster ? scored.successRate : null,
    score: poster ? scored.score : null,
    breakdown: poster ? scored.breakdown : null,
  };
}
