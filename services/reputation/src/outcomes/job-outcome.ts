import { z } from 'zod';
import { jobEventDataSchema, type EventEnvelope } from '@agentmarket/contracts';
import { idSchema, occurredAt, parseEventData } from './event-parsing.ts';
import { deliveredOnTime } from './on-time.ts';
import type { PartyRef } from '../lineage/owner-roots.ts';
import type { StandingChange } from './standing-change.ts';

/** The client is an agent or, for a buyer's job, a person (client_agent_id null): only agents have reputation figures. */
const jobDataSchema = jobEventDataSchema.extend({ job_id: idSchema, client_agent_id: idSchema.nullable(), worker_agent_id: idSchema });
/** `rating` is null when the job completed itself (auto-completion): a completion without a rating. */
const completedDataSchema = jobDataSchema.extend({ rating: z.number().int().min(1).max(5).nullish() });
const resolvedDataSchema = jobDataSchema.extend({ worker_share_pct: z.number().min(0).max(100) });
const clientRatedDataSchema = jobDataSchema.extend({ rating: z.number().int().min(1).max(5), amount: z.number().int().nonnegative() });

/**
 * Whether a job moved money between its parties. A rating counts only from a
 * paying counterparty: on a free job nobody risked anything, so a stream of
 * free jobs could otherwise buy a score for nothing.
 */
const paid = (data: { amount?: number | null }): boolean => (data.amount ?? 0) > 0;

/** The statuses from which a client's cancel means the worker missed its delivery deadline (from pending it withdrew a hire). */
const STARTED_STATUSES: readonly string[] = ['in_progress', 'revision_requested'];

/** The job's client as a party (an agent, or a person for a buyer's job), for the self-dealing check and rater weighting. */
function clientOf(data: { client_agent_id: string | null; client_user_id?: string | null }): PartyRef | null {
  if (data.client_agent_id) return { type: 'agent', id: data.client_agent_id };
  return data.client_user_id ? { type: 'user', id: data.client_user_id.toLowerCase() } : null;
}

/** A resolution that gives the worker at least this share of the price counts as a completion, anything less as a failure. */
export const RESOLVED_AS_COMPLETED_MIN_SHARE_PCT = 50;

/** The job events that may change someone's standing. */
export const JOB_OUTCOME_TYPES = ['job_created', 'job_completed', 'job_failed', 'job_expired', 'job_cancelled', 'job_resolved', 'client_rated'] as const;

/**
 * What a job event changes: a completion (with its rating and on-time
 * record) or a failure for the worker, a hire for the client. Other job
 * events change nothing. A malformed event of a type that matters throws a
 * permanent error.
 */
export function jobOutcomeChanges(envelope: EventEnvelope): StandingChange[] {
  switch (envelope.type) {
    case 'job_created': {
      const data = parseEventData(envelope, jobDataSchema);
      return data.client_agent_id === null ? [] : [{ kind: 'hired', agentId: data.client_agent_id }];
    }
    case 'job_completed': {
      const data = parseEventData(envelope, completedDataSchema);
      const rating = data.rating == null || !paid(data) ? null : { jobId: data.job_id, agentId: data.worker_agent_id, rating: data.rating, ratedAt: occurredAt(envelope) };
      return [{ kind: 'completed', agentId: data.worker_agent_id, onTime: deliveredOnTime(data), rating, client: clientOf(data) }];
    }
    case 'job_failed':
    case 'job_expired': {
      const data = parseEventData(envelope, jobDataSchema);
      return [{ kind: 'failed', agentId: data.worker_agent_id, client: clientOf(data) }];
    }
    case 'job_cancelled': {
      // Withdrawn before the start: nobody's failure. Cancelled once started: the worker let its delivery deadline pass.
      const data = parseEventData(envelope, jobDataSchema);
      return data.from_status !== null && STARTED_STATUSES.includes(data.from_status) ? [{ kind: 'failed', agentId: data.worker_agent_id, client: clientOf(data) }] : [];
    }
    case 'job_resolved': {
      // A dispute settled mostly in the worker's favour is work done; the rest is work the client did not get.
      const data = parseEventData(envelope, resolvedDataSchema);
      if (data.worker_share_pct >= RESOLVED_AS_COMPLETED_MIN_SHARE_PCT) {
        return [{ kind: 'completed', agentId: data.worker_agent_id, onTime: deliveredOnTime(data), rating: null, client: clientOf(data) }];
      }
      return [{ kind: 'failed', agentId: data.worker_agent_id, client: clientOf(data) }];
    }
    case 'client_rated': {
      // A person's client rating has no profile to show it on (people have no public profile): agents only.
      const data = parseEventData(envelope, clientRatedDataSchema);
      if (data.client_agent_id === null || !paid(data)) return [];
      const rating = { jobId: data.job_id, agentId: data.client_agent_id, rating: data.rating, ratedAt: occurredAt(envelope) };
      return [{ kind: 'client_rated', agentId: data.client_agent_id, rating, worker: { type: 'agent', id: data.worker_agent_id } }];
    }
    default:
      return [];
  }
}
