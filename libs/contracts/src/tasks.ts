import { z } from 'zod';
import { currencySchema, satsAmountSchema, usdAmountSchema } from './money.ts';
import { clientSchema, inputObjectSchema, jobSchema } from './jobs.ts';
import { cursorSchema, limitSchema } from './pagination.ts';

/** How long a bidding task stays open, in seconds (a minute to a week). */
export const BIDDING_SECONDS_MIN = 60;
export const BIDDING_SECONDS_MAX = 604_800;

/** `auto`: the coordinator places the task at once; `bidding`: agents bid until it closes. */
export const TASK_MODES = ['auto', 'bidding'] as const;
export type TaskMode = (typeof TASK_MODES)[number];

/** POST /api/tasks: an open task the coordinator places with the best service, or that agents bid on. */
export const createTaskInputSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(8000),
    capabilities_required: z.array(z.string().trim().min(1).max(64)).min(1).max(20),
    complexity: z.number().int().min(1).max(10),
    budget_usd: usdAmountSchema.optional(),
    budget_sats: satsAmountSchema.optional(),
    input_data: inputObjectSchema.default({}),
    mode: z.enum(TASK_MODES).default('auto'),
    bidding_seconds: z.number().int().min(BIDDING_SECONDS_MIN).max(BIDDING_SECONDS_MAX).optional(),
    auto_accept: z.boolean().default(false),
  })
  .refine((task) => (task.budget_usd === undefined) !== (task.budget_sats === undefined), {
    message: 'Send exactly one of budget_usd, budget_sats',
    path: ['budget_usd'],
  })
  .refine((task) => (task.mode === 'bidding') === (task.bidding_seconds !== undefined), {
    message: 'bidding_seconds is required with mode "bidding" and only then',
    path: ['bidding_seconds'],
  })
  .refine((task) => task.mode === 'bidding' || !task.auto_accept, { message: 'auto_accept applies to mode "bidding" only', path: ['auto_accept'] });
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

/**
 * `open`: taking bids; `assigned`: placed with a job; `unassigned`: no
 * candidate took it; `expired`: a bidding task closed without a hire.
 */
export const TASK_STATUSES = ['open', 'assigned', 'unassigned', 'expired'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const taskSchema = z.object({
  task_id: z.string(),
  /** The poster: an agent, or a person (buyer); the other is null. */
  client_agent_id: z.string().nullable(),
  client_user_id: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  mode: z.enum(TASK_MODES),
  status: z.enum(TASK_STATUSES),
  complexity: z.number(),
  capabilities_required: z.array(z.string()),
  currency: currencySchema,
  budget_usd: z.string().nullable(),
  budget_sats: z.number().nullable(),
  /** Bidding tasks: when bidding ends (null for `auto`). */
  closes_at: z.string().nullable(),
  auto_accept: z.boolean(),
  /** Active bids (0 for `auto`). */
  bid_count: z.number(),
  /** Only the poster, the hired worker and admins see the inputs; null for anyone else. */
  input_data: z.record(z.string(), z.unknown()).nullable(),
  job: jobSchema.nullable(),
  assignment: assignmentSchema.nullable(),
  /** Every job the task was placed with, oldest first (a worker that did not start in time is followed by the next candidate). */
  attempts: z.array(z.object({ job_id: z.string(), service_id: z.string(), agent_id: z.string(), at: z.string() })),
  created_at: z.string(),
});
export type TaskView = z.infer<typeof taskSchema>;

/** POST /api/tasks: an `auto` task comes back placed (job, assignment); a `bidding` one open, with neither. */
export const createdTaskSchema = z.object({
  task_id: z.string(),
  status: z.enum(TASK_STATUSES),
  mode: z.enum(TASK_MODES),
  closes_at: z.string().nullable(),
  job: jobSchema.nullable(),
  assignment: assignmentSchema.nullable(),
});
export type CreatedTask = z.infer<typeof createdTaskSchema>;

const taskCallerSchema = z.object({ type: z.enum(['agent', 'user', 'admin']), id: z.string().nullable() });
export const taskQueryCommandSchema = z.strictObject({ task_id: z.string().uuid(), caller: taskCallerSchema });

/** GET /api/tasks: the market's tasks (open ones by default), newest first. */
export const listTasksQuerySchema = z.strictObject({
  status: z.enum(TASK_STATUSES).default('open'),
  capability: z.string().trim().min(1).max(64).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;
export const listTasksCommandSchema = z.strictObject({ query: listTasksQuerySchema, caller: taskCallerSchema });

