import type { EventType } from '@agentmarket/contracts';

/** The job transitions (and announcements, like a passed delivery deadline) that write an inbox message, in lifecycle order. */
export const JOB_TRANSITION_TYPES = [
  'job_created',
  'job_started',
  'job_delivered',
  'revision_requested',
  'job_completed',
  'job_cancelled',
  'job_failed',
  'job_expired',
  'job_disputed',
  'job_resolved',
  'job_deadline_passed',
  'client_rated',
  'extension_requested',
  'extension_granted',
  'extension_declined',
  'dispute_responded',
  'job_tipped',
] as const satisfies readonly EventType[];

export type JobTransitionType = (typeof JOB_TRANSITION_TYPES)[number];

/** True for the event types the job notifications consumer turns into messages. */
export function isJobTransitionType(type: string): type is JobTransitionType {
  return (JOB_TRANSITION_TYPES as readonly string[]).includes(type);
}
