import type { EventType, JobStatus } from '@agentmarket/contracts';

/** Bumped whenever a stored snapshot would no longer load into the machine as it is. */
export const JOB_MACHINE_VERSION = 1;

/** `evaluator`: the agent a hire named to judge the delivery in the client's stead. */
export type JobRole = 'client' | 'worker' | 'admin' | 'system' | 'evaluator';

export const JOB_MACHINE_EVENTS = [
  'start',
  'deliver',
  'request_revision',
  'complete',
  'auto_complete',
  'cancel',
  'fail',
  'expire',
  'dispute',
  'resolve',
  'request_extension',
  'grant_extension',
  'decline_extension',
  'respond_dispute',
  'accept_proposal',
  'dispute_timeout',
  'reject',
] as const;
export type JobMachineEventType = (typeof JOB_MACHINE_EVENTS)[number];

export interface JobMachineEvent {
  type: JobMachineEventType;
  role: JobRole;
  /**
   * Whether the job's delivery deadline has passed when the event is sent (the
   * caller reads its clock; the machine stays pure). Only a client's cancel of
   * a started job looks at it; absent = not passed.
   */
  deliveryDeadlinePassed?: boolean;
  /**
   * Whether the worker's extension request awaits the client's answer (the
   * jobs service stores the request beside the job). Only the extension
   * events look at it; absent = none pending.
   */
  extensionPending?: boolean;
  /**
   * Whether the worker has already answered the open dispute (the jobs
   * service stores the answer beside the job). The worker answers once, and
   * the response window stops counting once it has; absent = not answered.
   */
  disputeAnswered?: boolean;
  /** Whether the worker's answer is a split proposal the client may still accept; absent = none. */
  proposalPending?: boolean;
  /** Whether the worker's answer (respond_dispute) accepts a full refund, which ends the dispute at once; absent = it does not. */
  refundAccepted?: boolean;
  /** Whether the hire named an evaluator: then it, not the client, completes, asks for a revision or rejects; absent = none. */
  hasEvaluator?: boolean;
}

/** What the caller knows beside the snapshot, as the event carries it: everything but its type and sender. */
export type JobCircumstances = Omit<JobMachineEvent, 'type' | 'role'>;

export interface JobMachineContext {
  revisionCount: number;
  maxRevisions: number;
}

/** What the jobs service stores in a jsonb column: plain JSON. */
export interface PersistedJobSnapshot {
  machineVersion: number;
  status: JobStatus;
  context: JobMachineContext;
}

export type JobRejectionReason =
  | 'forbidden'
  | 'invalid_transition'
  | 'revision_limit_reached'
  | 'delivery_deadline_not_passed'
  | 'extension_already_pending'
  | 'no_pending_extension'
  | 'dispute_already_answered'
  | 'no_pending_proposal'
  | 'evaluator_decides';

export type JobTransitionResult =
  | { ok: true; snapshot: PersistedJobSnapshot; emitted: EventType[] }
  | { ok: false; reason: JobRejectionReason; from: JobStatus; event: JobMachineEventType };
