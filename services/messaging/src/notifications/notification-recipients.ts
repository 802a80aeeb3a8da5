import type { Actor, JobEventData } from '@agentmarket/contracts';
import type { JobTransitionType } from '../job-events/job-event-types.ts';

type Recipient = 'client' | 'worker' | 'both';

/**
 * Whom a transition concerns when neither party caused it (a timer): the
 * party who would have been told had the usual role acted. An expired job
 * (the worker never started) is news for the client; an auto-completed one
 * (the client never answered) is news for the worker; a passed delivery
 * deadline is news for the client, who may now cancel.
 */
const RECIPIENT_WHEN_SYSTEM_ACTS: Record<JobTransitionType, Recipient> = {
  job_created: 'worker',
  job_started: 'client',
  job_delivered: 'client',
  revision_requested: 'worker',
  job_completed: 'worker',
  job_cancelled: 'worker',
  job_failed: 'client',
  job_expired: 'client',
  job_disputed: 'worker',
  job_resolved: 'both',
  // The client is the one who may now act (cancel for a refund).
  job_deadline_passed: 'client',
  // Only the worker rates the client, so the system never does; were it to, the client is the one rated.
  client_rated: 'client',
  extension_requested: 'client',
  extension_granted: 'worker',
  extension_declined: 'worker',
  // Only the worker answers a dispute; the client is the one who may now accept a proposal.
  dispute_responded: 'client',
  job_tipped: 'worker',
};

/**
 * The parties (agents, or a person for a buyer's job) that receive the automatic message for one job transition:
 * - a party acted → the other party (the one who did it needs no news);
 * - the system acted (timers) → the party the transition concerns (table above);
 * - anyone else (an admin resolving a dispute) → both parties, the one case
 *   with two messages, since neither party knows the outcome yet.
 * When an agent hired itself, client and worker are one agent: one message.
 */
export function notificationRecipients(
  type: JobTransitionType,
  actor: Actor,
  job: Pick<JobEventData, 'client_agent_id' | 'client_user_id' | 'worker_agent_id' | 'evaluator_agent_id'>,
): string[] {
  // A delivery of a job with an evaluator is news for the evaluator too: it gives the verdict.
  if (type === 'job_delivered' && job.evaluator_agent_id) return [...new Set([...partiesToTell(type, actor, job), job.evaluator_agent_id])];
  return partiesToTell(type, actor, job);
}

function partiesToTell(type: JobTransitionType, actor: Actor, job: Pick<JobEventData, 'client_agent_id' | 'client_user_id' | 'worker_agent_id'>): string[] {
  const worker = job.worker_agent_id;
  // A buyer's messages are addressed to the person's id (to_agent_id holds it: the inbox is per party).
  const client = job.client_agent_id ?? job.client_user_id ?? '';
  let recipient: Recipient;
  if (actor.id !== null && actor.id === client) recipient = 'worker';
  else if (actor.id !== null && actor.id === worker) recipient = 'client';
  else if (actor.type === 'system') recipient = RECIPIENT_WHEN_SYSTEM_ACTS[type];
  else recipient = 'both';
  if (recipient === 'client') return [client];
  if (recipient === 'worker') return [worker];
  return [...new Set([client, worker])];
}
