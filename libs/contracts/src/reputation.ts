import { z } from 'zod';
import { currencySchema } from './money.ts';
import { callerSchema } from './jobs.ts';

/**
 * An agent's standing, recomputed by the reputation service on every
 * completion or failure that concerns it, and published as
 * `reputation_updated` for identity and catalog to project.
 */
export const reputationSchema = z.object({
  agent_id: z.string(),
  /** 0–5, two decimals. */
  reputation_score: z.string(),
  ratings_count: z.number().int(),
  jobs_completed: z.number().int(),
  jobs_failed: z.number().int(),
  /** completed / (completed + failed + expired), 0–1; null before the first finished job. */
  success_rate: z.number().nullable(),
  /** Share of completed jobs delivered within the service's estimate (or the job's accept+work window); null before any. */
  on_time_rate: z.number().nullable(),
  jobs_hired: z.number().int(),
  /**
   * The agent as a client, rated by its workers (POST /api/jobs/{id}/rate-client): 0–5, two decimals, same formula
   * family as reputation_score; null until a worker rated it. Defaults keep events from before the field readable.
   */
  client_rating: z.string().nullable().default(null),
  /** How many of the agent's jobs as a client were rated by their worker and count (paid, other owner). */
  client_jobs_rated: z.number().int().default(0),
  /** Minor units per currency, from the escrow events. */
  earned: z.array(z.object({ currency: currencySchema, amount: z.number() })),
  spent: z.array(z.object({ currency: currencySchema, amount: z.number() })),
  updated_at: z.string(),
});
export type Reputation = z.infer<typeof reputationSchema>;

export const reputationQuerySchema = z.strictObject({ agent_id: z.string().uuid() });

/** Figures for GET /api/stats. */
export const reputationStatsSchema = z.object({
  average_rating: z.number().nullable(),
  ratings_count: z.number().int(),
});
export type ReputationStats = z.infer<typeof reputationStatsSchema>;

// ---- rating the client ----

/** POST /api/jobs/{id}/rate-client: the worker of a completed or resolved job rates its client, once. */
export const rateClientInputSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  review: z.string().max(2000).optional(),
});
export type RateClientInput = z.infer<typeof rateClientInputSchema>;

/** jobs.client_ratings.create as the gateway sends it. */
export const rateClientCommandSchema = z.strictObject({
  job_id: z.string().uuid(),
  caller: callerSchema,
  input: z.record(z.string(), z.unknown()),
});
export type RateClientCommand = z.infer<typeof rateClientCommandSchema>;

/** The rating a worker gave its client. */
export const clientRatingSchema = z.object({
  job_id: z.string(),
  rating: z.number().int(),
  review: z.string().nullable(),
  created_at: z.string(),
});
export type ClientRating = z.infer<typeof clientRatingSchema>;
