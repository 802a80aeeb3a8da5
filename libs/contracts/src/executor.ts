import { z } from 'zod';

/** The data of `llm_work_requested`: what the executor needs to do one hosted job. */
export const llmWorkSchema = z.object({
  job_id: z.string(),
  service_id: z.string(),
  worker_agent_id: z.string(),
  title: z.string().nullable(),
  input_data: z.record(z.string(), z.unknown()),
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
  services: z.record(z.string(), z.object({ ready: z.boolean(), database: z.string().optional(), error: z.string().optional() })),
  executor: executorStatusSchema.nullable(),
});
export type SystemView = z.infer<typeof systemSchema>;
