import { z } from 'zod';
import { currencySchema, satsAmountSchema, usdAmountSchema } from './money.ts';
import { cursorSchema, limitSchema, type Page } from './pagination.ts';

export const JOB_STATUSES = [
  'pending',
  'in_progress',
  'delivered',
  'revision_requested',
  'completed',
  'cancelled',
  'failed',
  'expired',
  'disputed',
  'resolved',
] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** Statuses in which a job still occupies one of its service's `max_concurrent` slots. */
export const ACTIVE_JOB_STATUSES = ['pending', 'in_progress', 'delivered', 'revision_requested', 'disputed'] as const satisfies readonly JobStatus[];

/** The active statuses of a job its worker has taken on (all but pending): the coordinator's measure of a worker's load. */
export const STARTED_JOB_STATUSES = ['in_progress', 'delivered', 'revision_requested', 'disputed'] as const satisfies readonly JobStatus[];

/** The transitions a caller can ask for over HTTP (`POST /api/jobs/{id}/<action>`). */
export const JOB_ACTIONS = [
  'start',
  'deliver',
  'request-revision',
  'complete',
  'cancel',
  'fail',
  'dispute',
  'resolve',
  'request-extension',
  'extension',
  'dispute-response',
  'accept-proposal',
  'reject',
] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

const jsonObjectSchema = z.record(z.string(), z.unknown());
/** A JSON object a caller sends: its field names are bounded like every other string it sends. */
export const inputObjectSchema = z.record(z.string().max(256), z.unknown());
const uuid = z.string().uuid();

// ---- HTTP bodies ----
/**
 * The price the buyer saw, in one currency (`{"price_usd": "10.00"}` or
 * `{"price_sats": 250000}`): a hire whose service now asks another price or
 * currency is refused with `price_changed` instead of holding the new one.
 */
export const expectedPriceSchema = z.union([z.strictObject({ price_usd: usdAmountSchema }), z.strictObject({ price_sats: satsAmountSchema })]);
export type ExpectedPrice = z.infer<typeof expectedPriceSchema>;

export const hireJobInputSchema = z.strictObject({
  service_id: uuid,
  title: z.string().trim().min(1).max(200).optional(),
  input_data: inputObjectSchema.default({}),
  parent_job_id: uuid.optional(),
  expected_price: expectedPriceSchema.optional(),
  /** What the worker may spend on sub-jobs paid from this job (`fund_from_parent`), in the service's currency ("5.00" USD, or sats); held with the price. */
  subtask_budget: z
    .union([z.number(), z.string().max(32)])
    .refine((value) => /^\d{1,15}(\.\d{1,2})?$/.test(String(value)), { message: 'Expected an amount: "5.00" for USD, a whole number of sats' })
    .optional(),
  /** Pay this sub-job from the parent job's subtask budget (the parent's worker only); 402 `budget_exhausted` when it cannot cover. */
  fund_from_parent: z.boolean().optional(),
  /** An agent that judges the delivery instead of the client (complete, request-revision, reject), paid `evaluator_fee` on its verdict. */
  evaluator_agent_id: uuid.optional(),
  /** The evaluator's fee in the service's currency ("2.00" USD, or sats), held with the price; required with evaluator_agent_id. */
  evaluator_fee: z
    .union([z.number(), z.string().max(32)])
    .refine((value) => /^\d{1,15}(\.\d{1,2})?$/.test(String(value)), { message: 'Expected an amount: "2.00" for USD, a whole number of sats' })
    .optional(),
});
export type HireJobInput = z.infer<typeof hireJobInputSchema>;

export const deliverInputSchema = z
  .strictObject({
    artifact_type: z.string().trim().min(1).max(32),
    content: z.union([z.string().max(1_000_000), inputObjectSchema, z.array(z.unknown()).max(100_000)]),
    artifact_metadata: inputObjectSchema.optional(),
    /** Accepted as an alias of artifact_metadata (older agents send it). */
    metadata: inputObjectSchema.optional(),
  })
  .transform(({ metadata, artifact_metadata, ...rest }) => ({ ...rest, artifact_metadata: artifact_metadata ?? metadata ?? {} }));
export const requestRevisionInputSchema = z.strictObject({ feedback: z.string().trim().min(1).max(8000) });
export const completeInputSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  review: z.string().trim().max(8000).optional(),
});
export const cancelInputSchema = z.strictObject({ reason: z.string().trim().max(2000).optional() });
export const failInputSchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const disputeInputSchema = z.strictObject({ reason: z.string().trim().min(1).max(8000) });
export const resolveInputSchema = z.strictObject({
  worker_share_pct: z.number().int().min(0).max(100),
  note: z.string().trim().min(1).max(8000),
});

/** The worker asks for more time before the delivery deadline: up to 30 days at once. */
export const requestExtensionInputSchema = z.strictObject({
  minutes: z.number().int().min(1).max(43_200),
  reason: z.string().trim().min(1).max(2000),
});
/** The client's answer to the pending extension request. */
export const extensionAnswerInputSchema = z.strictObject({ grant: z.boolean() });

/** How the worker answers a dispute: give the money back, offer a split, or leave it to an admin. */
export const DISPUTE_RESPONSE_ACTIONS = ['accept_refund', 'propose_split', 'contest'] as const;
export type DisputeResponseAction = (typeof DISPUTE_RESPONSE_ACTIONS)[number];
const disputeNoteSchema = z.string().trim().min(1).max(8000);
/** The worker's one answer to an open dispute; `worker_share_pct` belongs to a split proposal and to nothing else. */
export const disputeResponseInputSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('accept_refund'), note: disputeNoteSchema }),
  z.strictObject({ action: z.literal('propose_split'), worker_share_pct: z.number().int().min(0).max(100), note: disputeNoteSchema }),
  z.strictObject({ action: z.literal('contest'), note: disputeNoteSchema }),
]);
export type DisputeResponseInput = z.infer<typeof disputeResponseInputSchema>;

/** Each HTTP action with the body it takes; an action without a body accepts none or `{}`. */
export const JOB_ACTION_INPUTS = {
  start: z.strictObject({}),
  deliver: deliverInputSchema,
  'request-revision': requestRevisionInputSchema,
  complete: completeInputSchema,
  cancel: cancelInputSchema,
  fail: failInputSchema,
  dispute: disputeInputSchema,
  resolve: resolveInputSchema,
  'request-extension': requestExtensionInputSchema,
  extension: extensionAnswerInputSchema,
  'dispute-response': disputeResponseInputSchema,
  'accept-proposal': z.strictObject({}),
  reject: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
} as const satisfies Record<JobAction, z.ZodType>;

export const listJobsQuerySchema = z.strictObject({
  role: z.enum(['client', 'worker']).optional(),
  status: jobStatusSchema.optional(),
  service_id: uuid.optional(),
  /** Only the jobs this agent works (an A2A endpoint lists its own agent's tasks). */
  worker_agent_id: uuid.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

export const jobIdParamsSchema = z.strictObject({ id: uuid });

// ---- commands (gateway → jobs): the caller comes from the verified key ----
/** Who acts: an agent, a person (buyer) or an admin. */
export const callerSchema = z.strictObject({ type: z.enum(['agent', 'user', 'admin']), id: z.string().nullable() });
export type Caller = z.infer<typeof callerSchema>;

/** Who can be a job's client: an agent or a person (buyer). */
export const clientSchema = z.strictObject({ type: z.enum(['agent', 'user']), id: uuid });
export type Client = z.infer<typeof clientSchema>;

/**
 * With an idempotency key, a repeated hire by the same client continues the
 * first one (same job, same hold) instead of creating another.
 */
export const hireJobCommandSchema = z.strictObject({
  client: clientSchema,
  job: hireJobInputSchema,
  idempotency_key: z.string().min(1).max(200).optional(),
});
export const jobTransitionCommandSchema = z.strictObject({
  job_id: uuid,
  caller: callerSchema,
  action: z.enum(JOB_ACTIONS),
  input: jsonObjectSchema,
});
export type JobTransitionCommand = z.infer<typeof jobTransitionCommandSchema>;
export const jobQueryCommandSchema = z.strictObject({ job_id: uuid, caller: callerSchema });
export const listJobsCommandSchema = z.strictObject({ party: clientSchema, query: listJobsQuerySchema });

// ---- replies ----
export const deliverableSchema = z.object({
  id: z.string(),
  version: z.number(),
  artifact_type: z.string(),
  content: z.unknown(),
  artifact_metadata: jsonObjectSchema,
  created_at: z.string(),
});
export type DeliverableView = z.infer<typeof deliverableSchema>;

const jobFields = {
  id: z.string(),
  service_id: z.string(),
  /** The client when it is an agent; null when a person (buyer) hired. */
  client_agent_id: z.string().nullable(),
  /** The client when it is a person (buyer); null when an agent hired. */
  client_user_id: z.string().nullable(),
  worker_agent_id: z.string(),
  parent_job_id: z.string().nullable(),
  /** The top of the job's tree: the job itself when it has no parent. */
  root_job_id: z.string(),
  title: z.string().nullable(),
  currency: currencySchema,
  price_usd: z.string().nullable(),
  price_sats: z.number().nullable(),
  status: jobStatusSchema,
  rating: z.number().nullable(),
  review: z.string().nullable(),
  revision_count: z.number(),
  max_revisions: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  started_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  accept_deadline: z.string().nullable(),
  auto_complete_at: z.string().nullable(),
  /** While in_progress or revision_requested: after this the client may cancel for a full refund. */
  delivery_deadline: z.string().nullable(),
  /** The worker's extension request awaiting the client's answer (POST /api/jobs/{id}/extension); null when none. */
  pending_extension: z.object({ minutes: z.number(), reason: z.string(), requested_at: z.string() }).nullable(),
  /** The budget for sub-jobs paid from this job, in its currency ("5.00" USD, "1000" sats); null when none. */
  subtask_budget: z.string().nullable(),
  /** Paid from the parent job's subtask budget rather than the client's wallet. */
  fund_from_parent: z.boolean(),
  /** The agent that judges the delivery instead of the client; null when the client does. */
  evaluator_agent_id: z.string().nullable(),
  /** Its fee in the job's currency, paid on its verdict ("2.00" USD, "500" sats); null without an evaluator. */
  evaluator_fee: z.string().nullable(),
  /** The dispute ladder of a job that was ever disputed; null for any other job. */
  dispute: z
    .object({
      /** awaiting_response: the worker may answer until respond_by; split_proposed: the client may accept the proposal (or an admin decides); contested: an admin decides. */
      status: z.enum(['awaiting_response', 'split_proposed', 'contested', 'resolved']),
      /** The client's reason for the dispute. */
      reason: z.string(),
      opened_at: z.string(),
      /** The end of the worker's response window: unanswered by then, the client is refunded. */
      respond_by: z.string(),
      response: z
        .object({ action: z.enum(DISPUTE_RESPONSE_ACTIONS), worker_share_pct: z.number().nullable(), note: z.string(), at: z.string() })
        .nullable(),
      /** The worker's split proposal while the client may still accept it (POST /api/jobs/{id}/accept-proposal); null otherwise. */
      proposal: z.object({ worker_share_pct: z.number(), proposed_at: z.string() }).nullable(),
    })
    .nullable(),
};

export const jobSchema = z.object({
  ...jobFields,
  input_data: jsonObjectSchema,
  deliverables: z.array(deliverableSchema),
});
export type JobView = z.infer<typeof jobSchema>;
export type JobPage = Page<JobView>;

/** GET /api/admin/disputes: the disputed jobs (summaries, no inputs or deliverables), the longest waiting first. */
export const adminDisputesQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() });
export type AdminDisputesQuery = z.infer<typeof adminDisputesQuerySchema>;
export const disputedJobSchema = z.object(jobFields);
export type DisputedJob = z.infer<typeof disputedJobSchema>;

/** A node of GET /api/jobs/{id}/tree: the job's summary (no inputs or deliverables) and its sub-jobs. */
export interface JobTreeNode {
  job: Omit<JobView, 'input_data' | 'deliverables'>;
  /** The node's subtask budget, what its sub-jobs took from it and what is left, in its currency; null for a job without one. */
  subtask_budget: string | null;
  subtask_spent: string | null;
  subtask_remaining: string | null;
  children: JobTreeNode[];
}
const jobSummarySchema = z.object(jobFields);
export const jobTreeSchema: z.ZodType<JobTreeNode> = z.lazy(() =>
  z.object({
    job: jobSummarySchema,
    subtask_budget: z.string().nullable(),
    subtask_spent: z.string().nullable(),
    subtask_remaining: z.string().nullable(),
    children: z.array(jobTreeSchema),
  }),
);

export const jobTransitionRecordSchema = z.object({
  id: z.string(),
  from: jobStatusSchema.nullable(),
  to: jobStatusSchema,
  event: z.string(),
  actor: z.object({ type: z.enum(['agent', 'user', 'system']), id: z.string().nullable() }),
  at: z.string(),
  details: jsonObjectSchema,
});
export type JobTransitionRecord = z.infer<typeof jobTransitionRecordSchema>;
export const jobHistorySchema = z.object({ data: z.array(jobTransitionRecordSchema), next_cursor: z.null() });

/** Who may see a job: its two parties. Returned by `jobs.jobs.parties` for the gateway's thread checks. */
export const jobPartiesSchema = z.object({
  job_id: z.string(),
  client_agent_id: z.string().nullable(),
  client_user_id: z.string().nullable(),
  worker_agent_id: z.string(),
});
export type JobParties = z.infer<typeof jobPartiesSchema>;

// ---- events ----
/** The status a job is in after each of its events. */
export const STATUS_AFTER_JOB_EVENT = {
  job_created: 'pending',
  job_started: 'in_progress',
  job_delivered: 'delivered',
  revision_requested: 'revision_requested',
  job_completed: 'completed',
  job_cancelled: 'cancelled',
  job_failed: 'failed',
  job_expired: 'expired',
  job_disputed: 'disputed',
  job_resolved: 'resolved',
} as const satisfies Record<string, JobStatus>;

/** The fields every job event carries in `data`; money in minor units of `currency`. Specific fields follow them. */
export const jobEventDataSchema = z.looseObject({
  job_id: z.string(),
  service_id: z.string(),
  client_agent_id: z.string().nullable(),
  /** Set when a person (buyer) is the client; absent in events written before people could hire. */
  client_user_id: z.string().nullable().optional(),
  worker_agent_id: z.string(),
  parent_job_id: z.string().nullable(),
  /** The top of the job's tree (the job itself when it has no parent); absent in events older than root_job_id. */
  root_job_id: z.string().nullable().optional(),
  title: z.string().nullable(),
  status: jobStatusSchema,
  from_status: jobStatusSchema.nullable(),
  currency: currencySchema,
  amount: z.number().int(),
  revision_count: z.number().int(),
  /** The service's estimate at hire; with started_at and delivered_at it makes the on-time record. Absent in events written before estimates were kept. */
  estimated_minutes: z.number().int().nullable().optional(),
  created_at: z.string().optional(),
  started_at: z.string().nullable().optional(),
  delivered_at: z.string().nullable().optional(),
  /** The job's evaluator and the hold of its fee (payments pays or refunds it when the job ends); absent without one. */
  evaluator_agent_id: z.string().nullable().optional(),
  evaluator_hold_id: z.string().nullable().optional(),
});
export type JobEventData = z.infer<typeof jobEventDataSchema>;

// ---- tips: money from the client to the worker of an ended job ----
/** `POST /api/jobs/{id}/tip`: exactly one amount, in the job's currency. */
export const tipInputSchema = z.union([z.strictObject({ amount_usd: usdAmountSchema }), z.strictObject({ amount_sats: satsAmountSchema })]);
export type TipInput = z.infer<typeof tipInputSchema>;
export const tipJobCommandSchema = z.strictObject({
  job_id: uuid,
  caller: callerSchema,
  input: jsonObjectSchema,
  idempotency_key: z.string().min(1).max(200).optional(),
});
export type TipJobCommand = z.infer<typeof tipJobCommandSchema>;
/** A tip as its client sent it: the amount (in the job's currency, the other null) and the platform's fee taken off what the worker receives. */
export const tipSchema = z.object({
  id: z.string(),
  job_id: z.string(),
  currency: currencySchema,
  amount_usd: z.string().nullable(),
  amount_sats: z.number().nullable(),
  fee_usd: z.string().nullable(),
  fee_sats: z.number().nullable(),
  created_at: z.string(),
});
export type TipView = z.infer<typeof tipSchema>;
