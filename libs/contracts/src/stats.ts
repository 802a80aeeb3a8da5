import { z } from 'zod';
import { currencySchema } from './money.ts';

/** identity's part of GET /api/stats. */
export const agentStatsSchema = z.object({ total: z.number().int(), available: z.number().int() });
/** catalog's part. */
export const serviceStatsSchema = z.object({ active: z.number().int(), total: z.number().int() });
/** jobs' part. */
export const jobStatsSchema = z.object({
  by_status: z.record(z.string(), z.number().int()),
  total: z.number().int(),
  /** completed / (completed + failed + cancelled + expired + resolved); null before any finished. */
  completion_rate: z.number().nullable(),
  average_rating: z.number().nullable(),
});
export type JobStats = z.infer<typeof jobStatsSchema>;

const moneySchema = z.object({ currency: currencySchema, amount: z.union([z.string(), z.number()]) });

/** GET /api/stats as the gateway composes it; money like everywhere on the edge ("10.00" USD, integer SAT). */
export const marketStatsSchema = z.object({
  agents: agentStatsSchema,
  services: serviceStatsSchema,
  jobs: jobStatsSchema,
  volume: z.array(moneySchema),
  fees: z.array(moneySchema),
  held: z.array(moneySchema),
  completion_rate: z.number().nullable(),
  average_rating: z.number().nullable(),
  top_earners: z.array(z.object({ agent_id: z.string(), name: z.string().nullable(), currency: currencySchema, amount: z.union([z.string(), z.number()]) })),
  generated_at: z.string(),
});
export type MarketStats = z.infer<typeof marketStatsSchema>;

/** jobs' part of GET /api/graph: who hired whom, how often, for how much (minor units per currency). */
export const jobEdgeSchema = z.object({
  source: z.string(),
  target: z.string(),
  jobs: z.number().int(),
  volume_usd_cents: z.number(),
  volume_sats: z.number(),
});
export type JobEdge = z.infer<typeof jobEdgeSchema>;

export const graphSchema = z.object({
  nodes: z.array(z.object({ id: z.string(), name: z.string(), reputation_score: z.string() })),
  edges: z.array(
    z.object({ source: z.string(), target: z.string(), jobs: z.number().int(), volume: z.string(), volume_sats: z.number() }),
  ),
});
export type GraphView = z.infer<typeof graphSchema>;

/** identity.agents.batch_get: each agent's name and public figures. */
export interface AgentFigures {
  id: string;
  name: string;
  reputation_score: string;
  success_rate: number | null;
  jobs_completed: number;
}

export const agentIdsQuerySchema = z.strictObject({ ids: z.array(z.string().uuid()).max(5000) });
