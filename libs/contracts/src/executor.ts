import { z } from 'zod';

/** The data of `llm_work_requested`: what the executor needs to do one hosted job. */
export const llmWorkSchema = z.object({
  job_id: z.string(),
  service_id: z.string(),
  worker_agent_id: z.string(),
  title: z.string().nullable(),
  input_data: z.record(z.string(), z.unknown()),
  /**
   * Set on the work item a revision request queues (1 for the first
   * revision, n for the nth); absent on the hire's. A revision item also
   * carries the client's feedback and the deliverable being revised.
   */
  revision: z.number().int().min(1).optional(),
  feedback: z.string().optional(),
  /** The job's latest deliverable when the revision was requested. */
  previous_deliverable: z.object({ version: z.number().int(), artifact_type: z.string(), content: z.unknown() }).optional(),
});
export type LlmWork = z.infer<typeof llmWorkSchema>;

/** executor.status: whether hosted services can be hired right now. */
export const executorStatusSchema = z.object({
  model_configured: z.boolean(),
  /** `open` while the provider keeps failing: new work waits instead of hammering it. */
  circuit: z.enum(['closed', 'open', 'half_open']),
  base_url: z.string().nullable(),
});
export type ExecutorStatus = z.infer<typeof executorStatusSchema>;

/** What a hosted job's deliverable carries in `artifact_metadata`. */
export interface LlmArtifactMetadata extends Record<string, unknown> {
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  latency_ms: number;
  /** USD, from the executor's per-1k-token prices (settings); "0.000000" when unpriced. */
  cost_usd: string;
  attempts: number;
  finish_reason: string | null;
}

/** GET /api/system: each service's readiness (with its database), the bus, and the executor's model. */
export const systemSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  bus: z.string(),
  /** States only: never an error text or an internal address (the ops listener's /readyz has the details). */
  services: z.record(
    z.string(),
    z.object({
      ready: z.boolean(),
      state: z.enum(['up', 'down', 'restarting']).optional(),
      database: z.string().optional(),
      error: z.string().optional(),
    }),
  ),
  counts: z.object({ services_up: z.number(), services_total: z.number(), restarting: z.number(), sse_streams: z.number() }).optional(),
  executor: executorStatusSchema.nullable(),
});
export type SystemView = z.infer<typeof systemSchema>;

/**
 * executor.hosted.quote (catalog → executor, at publish and on a price
 * change): is the model on the operator's allow-list and the token budget
 * within the maximum (else `validation_failed` naming `hosted.model` /
 * `hosted.token_budget`), and does the price cover the worst-case model
 * cost plus the platform fee? Amounts in USD cents.
 */
export const hostedQuoteCommandSchema = z.strictObject({
  model: z.string().min(1).max(100),
  token_budget: z.number().int().min(1),
  price_usd_cents: z.number().int().min(0),
});
export type HostedQuoteCommand = z.infer<typeof hostedQuoteCommandSchema>;

export const hostedQuoteSchema = z.object({
  model: z.string(),
  token_budget: z.number(),
  /** token_budget × the model's dearer per-token price, exact ("0.048000"). */
  max_model_cost_usd: z.string(),
  /** The same, rounded up to the cent: what a job can cost its seller at most. */
  max_model_cost_cents: z.number().int(),
  platform_fee_cents: z.number().int(),
  /** The smallest price whose payout after the fee covers the worst-case model cost. */
  min_price_cents: z.number().int(),
  covered: z.boolean(),
});
export type HostedQuote = z.infer<typeof hostedQuoteSchema>;
