import type { EntityManager } from '@mikro-orm/postgresql';
import type { NewRating } from '../outcomes/standing-change.ts';
import type { TimedRating } from '../score/reputation-score.ts';
import { REPUTATION_SCHEMA } from '../schema.ts';
import type { CounterDelta, MoneyDelta } from './standing-delta.ts';
import { AgentStandingSchema, RatingTotalsSchema, type AgentMoney, type AgentStanding, type RatingTotals } from './standing.entity.ts';

/** An agent's standing; null for an agent never seen. */
export async function findStanding(em: EntityManager, agentId: string): Promise<AgentStanding | null> {
  return em.findOne(AgentStandingSchema, { agentId });
}

/** The money rows (one per currency) of these agents, read with plain SQL (the hot path of every outcome). */
export async function findMoneyOf(em: EntityManager, agentIds: string[]): Promise<AgentMoney[]> {
  const rows = await em.execute<{ agent_id: string; currency: string; earned: string | number; spent: string | number }[]>(
    `select agent_id, currency, earned, spent from ${REPUTATION_SCHEMA}.money where agent_id in (?)`,
    [agentIds],
    'all',
  );
  return rows.map((row) => ({ agentId: row.agent_id, currency: row.currency, earned: Number(row.earned), spent: Number(row.spent) }));
}

/** Stores recomputed scores, one statement for all of them. */
export async function storeScores(em: EntityManager, scores: readonly { agentId: string; reputationScore: string; clientRating: string | null }[]): Promise<void> {
  if (scores.length === 0) return;
  await em.execute(
    `update ${REPUTATION_SCHEMA}.agents a set reputation_score = v.score, client_rating = v.client_rating
     from (values ${scores.map(() => '(?::uuid, ?::numeric, ?::numeric)').join(', ')}) as v (agent_id, score, client_rating)
     where a.agent_id = v.agent_id`,
    scores.flatMap((score) => [score.agentId, score.reputationScore, score.clientRating]),
    'run',
  );
}

interface StandingRow {
  agent_id: string;
  reputation_score: string;
  ratings_count: number;
  ratings_sum: string | number;
  jobs_completed: number;
  jobs_on_time: number;
  jobs_failed: number;
  jobs_hired: number;
  client_rating: string | null;
  client_jobs_rated: number;
  version: number;
  updated_at: Date | string;
  announced_at: Date | string | null;
}

/** A standing with the time its figures were last announced (null: never), for the pacing of reputation_updated (announcements.ts). */
export type PacedStanding = AgentStanding & { announcedAt: Date | null };

/** The columns of a standing as the hot paths read them, `a` being reputation.agents. */
const STANDING_COLUMNS = `a.agent_id, a.reputation_score::text, a.ratings_count, a.ratings_sum, a.jobs_completed, a.jobs_on_time, a.jobs_failed,
       a.jobs_hired, a.client_rating::text, a.client_jobs_rated, a.version, a.updated_at, a.announced_at`;

function toStanding(row: StandingRow): PacedStanding {
  return {
    agentId: row.agent_id,
    reputationScore: row.reputation_score,
    ratingsCount: row.ratings_count,
    ratingsSum: Number(row.ratings_sum),
    jobsCompleted: row.jobs_completed,
    jobsOnTime: row.jobs_on_time,
    jobsFailed: row.jobs_failed,
    jobsHired: row.jobs_hired,
    clientRating: row.client_rating,
    clientJobsRated: row.client_jobs_rated,
    version: row.version,
    updatedAt: new Date(row.updated_at),
    announcedAt: row.announced_at === null ? null : new Date(row.announced_at),
  };
}

/** These agents' standings as they stand, by agent id; agents never seen are absent. */
export async function findStandings(em: EntityManager, agentIds: readonly string[]): Promise<PacedStanding[]> {
  if (agentIds.length === 0) return [];
  const rows = await em.execute<StandingRow[]>(`select ${STANDING_COLUMNS} from ${REPUTATION_SCHEMA}.agents a where a.agent_id in (?)`, [[...agentIds]], 'all');
  return rows.map(toStanding);
}

/** The money rows (one per currency) of one agent. */
export async function findMoneyOfAgent(em: EntityManager, agentId: string): Promise<AgentMoney[]> {
  return findMoneyOf(em, [agentId]);
}

/** The platform's rating totals (one row). */
export async function findRatingTotals(em: EntityManager): Promise<RatingTotals | null> {
  return em.findOne(RatingTotalsSchema, { id: 1 });
}

/** The two rating tables: ratings of workers by their clients, and of clients by their workers. */
export type RatingTable = 'ratings' | 'client_ratings';

/** Inserts ratings, skipping jobs already rated; returns the ones stored now. */
export async function insertRatings(em: EntityManager, table: RatingTable, ratings: readonly NewRating[]): Promise<NewRating[]> {
  if (ratings.length === 0) return [];
  const stored = await em.execute<{ job_id: string }[]>(
    `insert into ${REPUTATION_SCHEMA}.${table} (job_id, agent_id, rating, rated_at, rater) values ${ratings.map(() => '(?, ?, ?, ?::timestamptz, ?)').join(', ')}
     on conflict (job_id) do nothing returning job_id`,
    ratings.flatMap((rating) => [rating.jobId, rating.agentId, rating.rating, rating.ratedAt.toISOString(), rating.rater ?? null]),
    'all',
  );
  const storedIds = new Set(stored.map((row) => row.job_id));
  return ratings.filter((rating) => storedIds.has(rating.jobId));
}

export async function upsertCounters(
  em: EntityManager,
  counters: readonly CounterDelta[],
  newRatings: readonly NewRating[],
  newClientRatings: readonly NewRating[],
  now: Date,
): Promise<PacedStanding[]> {
  const ratingsOf = (agentId: string) => newRatings.filter((rating) => rating.agentId === agentId);
  const clientRatingsOf = (agentId: string) => newClientRatings.filter((rating) => rating.agentId === agentId).length;
  const rows = await em.execute<StandingRow[]>(
    `insert into ${REPUTATION_SCHEMA}.agents as a (agent_id, ratings_count, ratings_sum, jobs_completed, jobs_on_time, jobs_failed, jobs_hired, client_jobs_rated, updated_at)
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
       updated_at = excluded.updated_at
     returning ${STANDING_COLUMNS}`,
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
    'all',
  );
  return rows.map(toStanding).sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
}

export async function upsertMoney(em: EntityManager, money: readonly MoneyDelta[]): Promise<void> {
  if (money.length === 0) return;
  await em.execute(
    `insert into ${REPUTATION_SCHEMA}.money as m (agent_id, currency, earned, spent) values ${money.map(() => '(?, ?, ?, ?)').join(', ')}
     on conflict (agent_id, currency) do update set earned = m.earned + excluded.earned, spent = m.spent + excluded.spent`,
    money.flatMap((row) => [row.agentId, row.currency, row.earned, row.spent]),
    'run',
  );
}

export async function addToRatingTotals(em: EntityManager, newRatings: readonly NewRating[]): Promise<void> {
  if (newRatings.length === 0) return;
  await em.execute(
    `update ${REPUTATION_SCHEMA}.rating_totals set ratings_count = ratings_count + ?, ratings_sum = ratings_sum + ? where id = 1`,
    [newRatings.length, newRatings.reduce((sum, rating) => sum + rating.rating, 0)],
    'run',
  );
}

/** The most recent `limit` ratings of each agent in one table, by agent id (one index range scan per agent). */
export async function recentRatings(em: EntityManager, table: RatingTable, agentIds: readonly string[], limit: number): Promise<Map<string, TimedRating[]>> {
  const rows = await em.execute<{ agent_id: string; rating: number; rated_at: Date | string; rater: string | null }[]>(
    `select a.agent_id, r.rating, r.rated_at, r.rater
     from ${REPUTATION_SCHEMA}.agents a
     cross join lateral (
       select rating, rated_at, rater from ${REPUTATION_SCHEMA}.${table} where agent_id = a.agent_id order by rated_at desc limit ?
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
