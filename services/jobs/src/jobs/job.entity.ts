import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { PersistedJobSnapshot } from '@agentmarket/job-machine';
import type { DisputeResponseAction } from '@agentmarket/contracts';

export const JobSchema = defineEntity({
  name: 'Job',
  tableName: 'jobs',
  properties: {
    id: p.uuid().primary(),
    serviceId: p.uuid(),
    serviceName: p.string(),
    /** The client: an agent, or (clientUserId) a person; exactly one is set. */
    clientAgentId: p.uuid().nullable(),
    clientUserId: p.uuid().nullable(),
    workerAgentId: p.uuid(),
    parentJobId: p.uuid().nullable(),
    /** The top of the job's tree, fixed at hire: the parent's root, or the job itself when it has no parent. */
    rootJobId: p.uuid(),
    title: p.string().nullable(),
    inputData: p.json<Record<string, unknown>>(),
    currency: p.string(),
    amount: p.bigint('number'),
    status: p.string(),
    machineSnapshot: p.json<PersistedJobSnapshot>(),
    rating: p.smallint().nullable(),
    review: p.text().nullable(),
    revisionCount: p.integer(),
    maxRevisions: p.integer(),
    acceptWindowSeconds: p.integer(),
    autoCompleteSeconds: p.integer(),
    estimatedMinutes: p.integer().nullable(),
    /** How long the worker has to deliver once started (and after each revision request): fixed at hire. */
    deliveryWindowSeconds: p.integer(),
    /** `pending_hold` until payments confirms the escrow hold; only `funded` jobs exist for anyone but the hire saga. */
    fundingStatus: p.string(),
    idempotencyKey: p.string().nullable(),
    /** Worked by the platform's LLM executor: funding the job queues its work item on WORK. */
    hosted: p.boolean(),
    acceptDeadline: p.datetime().nullable(),
    autoCompleteAt: p.datetime().nullable(),
    /** Set while in_progress or revision_requested: past it the client may cancel for a full refund. */
    deliveryDeadline: p.datetime().nullable(),
    /** The worker's extension request awaiting the client's answer (at most one); cleared by the answer and by any other transition. */
    pendingExtension: p.json<PendingExtension>().nullable().default(null),
    /** What the worker may spend on sub-jobs hired with fund_from_parent (minor units); held by payments with the price. */
    subtaskBudget: p.bigint('number').default(0),
    /** Paid from the parent job's subtask budget instead of the client's wallet. */
    fundFromParent: p.boolean().default(false),
    /** The agent that judges the delivery instead of the client, its fee (minor units) and the hold that carries the fee. */
    evaluatorAgentId: p.uuid().nullable().default(null),
    evaluatorFee: p.bigint('number').default(0),
    evaluatorHoldId: p.uuid().nullable().default(null),
    /** The dispute ladder, from the client's dispute on (kept once resolved, for the record); null for a job never disputed. */
    dispute: p.json<JobDispute>().nullable().default(null),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    startedAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type Job = InferEntity<typeof JobSchema>;

/** What the worker asked for (stored as JSON; `requested_at` an ISO timestamp). */
export interface PendingExtension {
  minutes: number;
  reason: string;
  requested_at: string;
}

/** A job's dispute as stored (JSON; timestamps as ISO text). */
export interface JobDispute {
  reason: string;
  opened_at: string;
  /** The end of the worker's response window. */
  respond_by: string;
  /** The worker's one answer, or null while it has not answered. */
  response: DisputeResponse | null;
}

export interface DisputeResponse {
  action: DisputeResponseAction;
  /** The share proposed (propose_split); null for the other answers. */
  worker_share_pct: number | null;
  note: string;
  at: string;
}

export const DeliverableSchema = defineEntity({
  name: 'Deliverable',
  tableName: 'deliverables',
  properties: {
    id: p.uuid().primary(),
    jobId: p.uuid(),
    version: p.integer(),
    artifactType: p.string(),
    content: p.json<unknown>(),
    artifactMetadata: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
  },
});
export type Deliverable = InferEntity<typeof DeliverableSchema>;

export const JobTransitionSchema = defineEntity({
  name: 'JobTransition',
  tableName: 'job_transitions',
  properties: {
    id: p.uuid().primary(),
    jobId: p.uuid(),
    fromStatus: p.string().nullable(),
    toStatus: p.string(),
    event: p.string(),
    actorType: p.string(),
    actorId: p.string().nullable(),
    details: p.json<Record<string, unknown>>(),
    at: p.datetime(),
  },
});
export type JobTransition = InferEntity<typeof JobTransitionSchema>;
