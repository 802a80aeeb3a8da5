import { z } from 'zod';
import { currencySchema } from './money.ts';

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
