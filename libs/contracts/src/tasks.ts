import { z } from 'zod';
import { currencySchema, satsAmountSchema, usdAmountSchema } from './money.ts';
import { clientSchema, inputObjectSchema, jobSchema } from './jobs.ts';

/** POST /api/tasks: an open task the coordinator places with the best service. */
export const createTaskInputSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(8000),
    capabilities_required: z.array(z.string().trim().min(1).max(64)).min(1).max(20),
    complexity: z.number().int().min(1).max(10),
    budget_usd: usdAmountSchema.optional(),
    budget_sats: satsAmountSchema.optional(),
    input_data: inputObjectSchema.default({}),
  })
  .refine((task) => (task.budget_usd === undefined) !== (task.budget_sats === undefined), {
    message: 'Send exactly one of budget_usd, budget_sats',
    path: ['budget_usd'],
  });
export type CreateTaskInput = z.infer<typeof createTaskInputSchema>;

export const createTaskCommandSchema = z.strictObject({
  client: clientSchema,
  task: createTaskInputSchema,
  idempotency_key: z.string().min(1).max(200).optional(),
});

/** The parts of a candidate's score, each 0–1, and their weighted sum. */
export const candidateScoreSchema = z.object({
  reputation: z.number(),
  success_rate: z.number(),
  capability_match: z.number(),
  load: z.number(),
  price_fit: z.number(),
  complexity_record: z.number(),
});
export type CandidateScore = z.infer<typeof candidateScoreSchema>;

export const candidateSchema = z.object({
  service_id: z.string(),
  agent_id: z.string(),
  agent_name: z.string(),
  currency: currencySchema,
  price_usd: z.string().nullable(),
  price_sats: z.number().nullable(),
  score: z.number(),
  breakdown: candidateScoreSchema,
});
export type Candidate = z.infer<typeof candidateSchema>;

export const assignmentSchema = z.object({
  agent_id: z.string(),
  service_id: z.string(),
  score: z.number(),
  candidates: z.array(candidateSchema),
});

export const TASK_STATUSES = ['assigned', 'unassigned'] as const;
export const taskSchema = z.object({
  task_id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  complexity: z.number(),
  capabilities_required: z.array(z.string()),
  job: jobSchema.nullable(),
  assignment: assignmentSchema.nullable(),
  /** Every job the task was placed with, oldest first (a worker that did not start in time is followed by the next candidate). */
  attempts: z.array(z.object({ job_id: z.string(), service_id: z.string(), agent_id: z.string(), at: z.string() })),
  created_at: z.string(),
});
export type TaskView = z.infer<typeof taskSchema>;

export const createdTaskSchema = z.object({ task_id: z.string(), job: jobSchema, assignment: assignmentSchema });
export type CreatedTask = z.infer<typeof createdTaskSchema>;

export const taskQueryCommandSchema = z.strictObject({ task_id: z.string().uuid(), caller: z.object({ type: z.enum(['agent', 'user', 'admin']), id: z.string().nullable() }) });
