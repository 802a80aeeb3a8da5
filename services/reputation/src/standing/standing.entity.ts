import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One agent's running figures, as a worker and as a client. `version` counts
 * the changes applied to the agent (the aggregate version of its
 * reputation_updated events), not an optimistic lock: counters move by
 * atomic increments, which need none.
 */
export const AgentStandingSchema = defineEntity({
  name: 'AgentStanding',
  tableName: 'agents',
  properties: {
    agentId: p.uuid().primary(),
    reputationScore: p.string().columnType('numeric(3,2)'),
    ratingsCount: p.integer(),
    ratingsSum: p.bigint('number'),
    jobsCompleted: p.integer(),
    jobsOnTime: p.integer(),
    jobsFailed: p.integer(),
    jobsHired: p.integer(),
    /** The agent as a client, rated by its workers: 0–5 two decimals, null until a rating counts. */
    clientRating: p.string().columnType('numeric(3,2)').nullable(),
    clientJobsRated: p.integer(),
    version: p.integer(),
    updatedAt: p.datetime(),
  },
});
export type AgentStanding = InferEntity<typeof AgentStandingSchema>;

/** Money one agent earned as a worker and spent as a client, in minor units of one currency. */
export const AgentMoneySchema = defineEntity({
  name: 'AgentMoney',
  tableName: 'money',
  properties: {
    agentId: p.uuid().primary(),
    currency: p.string().primary(),
    earned: p.bigint('number'),
    spent: p.bigint('number'),
  },
});
export type AgentMoney = InferEntity<typeof AgentMoneySchema>;

/** A rating a worker received, one per job. */
export const RatingSchema = defineEntity({
  name: 'Rating',
  tableName: 'ratings',
  properties: {
    jobId: p.uuid().primary(),
    agentId: p.uuid(),
    rating: p.smallint(),
    ratedAt: p.datetime(),
    /** The client's owner root (lineage/owner-roots.ts); null for ratings stored before raters were kept. */
    rater: p.string().nullable(),
  },
});
export type Rating = InferEntity<typeof RatingSchema>;

/** A rating a client received from its job's worker, one per job; `rater` is the worker's owner root. */
export const ClientRatingSchema = defineEntity({
  name: 'ClientRating',
  tableName: 'client_ratings',
  properties: {
    jobId: p.uuid().primary(),
    agentId: p.uuid(),
    rating: p.smallint(),
    ratedAt: p.datetime(),
    rater: p.string().nullable(),
  },
});
export type ClientRating = InferEntity<typeof ClientRatingSchema>;

/** The root of each agent's registration lineage (lineage/owner-roots.ts). */
export const AgentOwnerSchema = defineEntity({
  name: 'AgentOwner',
  tableName: 'agent_owners',
  properties: {
    agentId: p.uuid().primary(),
    ownerRoot: p.string(),
  },
});
export type AgentOwner = InferEntity<typeof AgentOwnerSchema>;

/** The platform's running rating totals: one row, so the stats never scan the ratings. */
export const RatingTotalsSchema = defineEntity({
  name: 'RatingTotals',
  tableName: 'rating_totals',
  properties: {
    id: p.smallint().primary(),
    ratingsCount: p.bigint('number'),
    ratingsSum: p.bigint('number'),
  },
});
export type RatingTotals = InferEntity<typeof RatingTotalsSchema>;
