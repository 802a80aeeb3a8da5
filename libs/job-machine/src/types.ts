import type { EventType, JobStatus } from '@agentmarket/contracts';

/** Bumped whenever a stored snapshot would no longer load into the machine as it is. */
export const JOB_MACHINE_VERSION = 1;

export type JobRole = 'client' | 'worker' | 'admin' | 'system';

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
}

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
  | 'no_pending_extension';

export type JobTransitionResult =
  | { ok: true; snapshot: PersistedJobSnapshot; emitted: EventType[] }
  | { ok: false; reason: JobRejectionReason; from: JobStatus; event: JobMachineEventType };
