import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_ACTOR } from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import type { NewRating, StandingChange } from '../outcomes/standing-change.ts';
import { formatScore, reputationScore, type ScoreParameters, type TimedRating } from '../score/reputation-score.ts';
import { summarizeChanges, type CounterDelta, type MoneyDelta } from './standing-delta.ts';
import { AgentMoneySchema, AgentStandingSchema } from './standing.entity.ts';
import { toReputation } from './reputation.views.ts';
import { screenSelfDealing } from '../lineage/self-dealing.ts';

export const REPUTATION_SCHEMA = 'reputation';

export interface ScoringSettings extends ScoreParameters {
  /** The score reads at most this many of an agent's most recent ratings. */
  maxRatings: number;
}

/**
 * Applies the changes of one transaction: stores the new ratings (one per
 * job, of workers and of clients), moves the agents' counters, money and the platform's rating totals,
 * recomputes the score of every agent changed and writes one
 * `reputation_updated` per agent to the outbox.
 */
export async function applyStandingChanges(em: EntityManager, changes: readonly StandingChange[], scoring: ScoringSettings): Promise<void> {
  const delta = summarizeChanges(await screenSelfDealing(em, changes));
  if (delta.counters.length === 0) return;
  const now = new Date();
  const newRatings = await insertRatings(em, 'ratings', delta.ratings);
  const newClientRatings = await insertRatings(em, 'client_ratings', delta.clientRatings);
  // Counters move by increments inside the upsert, which also locks each row
  // until commit: the ratings read below then include every committed rating.
  await upsertCounters(em, delta.counters, newRatings, newClientRatings, now);
  await upsertMoney(em, delta.money);
  await addToRatingTotals(em, newRatings);
  const agentIds = delta.counters.map((counter) => counter.agentId);
  const recent = await recentRatings(em, 'ratings', agentIds, scoring.maxRatings);
  // The client rating moves only with a new rating of the client; recomputing it for the others would read for nothing.
  const ratedClients = [...new Set(newClientRatings.map((rating) => rating.agentId))];
  const recentAsClient = ratedClients.length === 0 ? new Map<string, TimedRating[]>() : await recentRatings(em, 'client_ratings', ratedClients, scoring.maxRatings);
  const standings = await em.find(AgentStandingSchema, { agentId: { $in: agentIds } }, { orderBy: { agentId: 'asc' } });
  for (const standing of standings) {
    standing.reputationScore = formatScore(reputationScore(recent.get(standing.agentId) ?? [], scoring, now));
    // The same formula as the worker score, over the ratings the agent received as a client.
    const asClient = recentAsClient.get(standing.agentId);
    if (asClient && asClient.length > 0) standing.clientRating = formatScore(reputationScore(asClient, scoring, now));
  }
  await em.flush();
  const money = await em.find(AgentMoneySchema, { agentId: { $in: agentIds } });
  await appendToOutbox(
    em,
    REPUTATION_SCHEMA,
    standings.map((standing) => ({
      type: 'reputation_updated',
      aggregateId: standing.agentId,
      aggregateVersion: standing.version,
      actor: SYSTEM_ACTOR,
      data: toReputation(
        standing.agentId,
        standing,
        money.filter((row) => row.agentId === standing.agentId),
        now,
      ),
    })),
  );
}

/** The two rating tables: ratings of workers by their clients, and of clients by their workers. */
type RatingTable = 'ratings' | 'client_ratings';

/** Inserts ratings, skipping jobs already rated; returns the ones stored now. */
async function insertRatings(em: EntityManager, table: RatingTable, ratings: readonly NewRating[]): Promise<NewRating[]> {
  if (ratings.length === 0) return [];
  const stored = await em.execute<{ job_id: string }[]>(
    `insert into reputation.${table} (job_id, agent_id, rating, rated_at, rater) values ${ratings.map(() => '(?, ?, ?, ?::timestamptz, ?)').join(', ')}
     on conflict (job_id) do nothing returning job_id`,
    ratings.flatMap((rating) => [rating.jobId, rating.agentId, rating.rating, rating.ratedAt.toISOString(), rating.rater ?? null]),
    'all',
  );
  const storedIds = new Set(stored.map((row) => row.job_id));
  return ratings.filter((rating) => storedIds.has(rating.jobId));
}

async function upsertCounters(
  em: EntityManager,
  counters: readonly CounterDelta[],
  newRatings: readonly NewRating[],
  newClientRatings: readonly NewRating[],
  now: Date,
): Promise<void> {
  const ratingsOf = (agentId: string) => newRatings.filter((rating) => rating.agentId === agentId);
  const clientRatingsOf = (agentId: string) => newClientRatings.filter((rating) => rating.agentId === agentId).length;
  await em.execute(
    `insert into reputation.agents as a (agent_id, ratings_count, ratings_sum, jobs_completed, jobs_on_time, jobs_failed, jobs_hired, client_jobs_rated, updated_at)
     values ${counters.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz)').join(', ')}
     on conflict (agent_id) do update set
       ratings_count = a.ratings_count + excluded.ratings_count,
       ratings_sum = a.ratings_sum + excluded.ratings_sum,
       jobs_completed = a.jobs_completed + excluded.jobs_completed,
       jobs_on_time = a.jobs_on_time + excluded.jobs_on_time,
       jobs_failed = a.jobs_failed + excluded.jobs_failed,
       jobs_hired = a.jobs_hired + excluded.jobs_hired,
       client_jobs_rated = a.client_jobs_rated + excluded.client_jobs_rated,
       version = a.version + 1,
       updated_at = excluded.updated_at`,
    counters.flatMap((counter) => {
      const ratings = ratingsOf(counter.agentId);
      return [
        counter.agentId,
        ratings.length,
        ratings.reduce((sum, rating) => sum + rating.rating, 0),
        counter.completed,
        counter.onTime,
        counter.failed,
        counter.hired,
        clientRatingsOf(counter.agentId),
        now.toISOString(),
      ];
    }),
    'run',
  );
}

async function upsertMoney(em: EntityManager, money: readonly MoneyDelta[]): Promise<void> {
  if (money.length === 0) return;
  await em.execute(
    `insert into reputation.money as m (agent_id, currency, earned, spent) values ${money.map(() => '(?, ?, ?, ?)').join(', ')}
     on conflict (agent_id, currency) do update set earned = m.earned + excluded.earned, spent = m.spent + excluded.spent`,
    money.flatMap((row) => [row.agentId, row.currency, row.earned, row.spent]),
    'run',
  );
}

async function addToRatingTotals(em: EntityManager, newRatings: readonly NewRating[]): Promise<void> {
  if (newRatings.length === 0) return;
  await em.execute(
    'update reputation.rating_totals set ratings_count = ratings_count + ?, ratings_sum = ratings_sum + ? where id = 1',
    [newRatings.length, newRatings.reduce((sum, rating) => sum + rating.rating, 0)],
    'run',
  );
}

/** The most recent `limit` ratings of each agent in one table, by agent id (one index range scan per agent). */
async function recentRatings(em: EntityManager, table: RatingTable, agentIds: readonly string[], limit: number): Promise<Map<string, TimedRating[]>> {
  const rows = await em.execute<{ agent_id: string; rating: number; rated_at: Date | string; rater: string | null }[]>(
    `select a.agent_id, r.rating, r.rated_at, r.rater
     from reputation.agents a
     cross join lateral (
       select rating, rated_at, rater from reputation.${table} where agent_id = a.agent_id order by rated_at desc limit ?
     ) r
     where a.agent_id in (?)`,
    [limit, agentIds],
    'all',
  );
  const byAgent = new Map<string, TimedRating[]>();
  for (const row of rows) {
    const ratings = byAgent.get(row.agent_id) ?? [];
    ratings.push({ rating: Number(row.rating), ratedAt: new Date(row.rated_at), rater: row.rater });
    byAgent.set(row.agent_id, ratings);
  }
  return byAgent;
}
