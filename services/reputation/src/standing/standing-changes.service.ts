import type { EntityManager } from '@mikro-orm/postgresql';
import type { StandingChange } from '../outcomes/standing-change.ts';
import { formatScore, reputationScore, type ScoreParameters, type TimedRating } from '../score/reputation-score.ts';
import { summarizeChanges } from './standing-delta.ts';
import { addToRatingTotals, insertRatings, recentRatings, storeScores, upsertCounters, upsertMoney } from './standing.repository.ts';
import { announceOrDefer } from './announcements.ts';
import type { AgentStanding } from './standing.entity.ts';
import { screenSelfDealing } from '../lineage/self-dealing.ts';

/** Two numeric(3,2) texts denote the same score ('4.5' and '4.50'); null only equals null. */
function sameScore(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : Number(a) === Number(b);
}

export interface ScoringSettings extends ScoreParameters {
  /** The score reads at most this many of an agent's most recent ratings. */
  maxRatings: number;
}

/**
 * Applies the changes of one transaction: stores the new ratings (one per
 * job, of workers and of clients), moves the agents' counters, money and the platform's rating totals,
 * recomputes the score of every agent changed and announces each one's
 * figures with a `reputation_updated`, at once or, when the agent was
 * announced less than `announceIntervalMs` ago, when its turn comes
 * (announcements.ts).
 */
export async function applyStandingChanges(em: EntityManager, changes: readonly StandingChange[], scoring: ScoringSettings, announceIntervalMs: number): Promise<void> {
  const delta = summarizeChanges(await screenSelfDealing(em, changes));
  if (delta.counters.length === 0) return;
  const now = new Date();
  const newRatings = await insertRatings(em, 'ratings', delta.ratings);
  const newClientRatings = await insertRatings(em, 'client_ratings', delta.clientRatings);
  // Counters move by increments inside the upsert, which also locks each row
  // until commit: the ratings read below then include every committed rating.
  // It returns the rows as they now stand: no second read, no ORM unit of work on this path.
  const standings = await upsertCounters(em, delta.counters, newRatings, newClientRatings, now);
  await upsertMoney(em, delta.money);
  await addToRatingTotals(em, newRatings);
  const agentIds = delta.counters.map((counter) => counter.agentId);
  const recent = await recentRatings(em, 'ratings', agentIds, scoring.maxRatings);
  // The client rating moves only with a new rating of the client; recomputing it for the others would read for nothing.
  const ratedClients = [...new Set(newClientRatings.map((rating) => rating.agentId))];
  const recentAsClient = ratedClients.length === 0 ? new Map<string, TimedRating[]>() : await recentRatings(em, 'client_ratings', ratedClients, scoring.maxRatings);
  const rescored: AgentStanding[] = [];
  for (const standing of standings) {
    const score = formatScore(reputationScore(recent.get(standing.agentId) ?? [], scoring, now));
    // The same formula as the worker score, over the ratings the agent received as a client.
    const asClient = recentAsClient.get(standing.agentId);
    const clientRating = asClient && asClient.length > 0 ? formatScore(reputationScore(asClient, scoring, now)) : (standing.clientRating ?? null);
    if (!sameScore(score, standing.reputationScore) || !sameScore(clientRating, standing.clientRating ?? null)) rescored.push(standing);
    standing.reputationScore = score;
    standing.clientRating = clientRating;
  }
  await storeScores(em, rescored.map((standing) => ({ agentId: standing.agentId, reputationScore: standing.reputationScore, clientRating: standing.clientRating ?? null })));
  await announceOrDefer(em, standings, now, announceIntervalMs);
}
