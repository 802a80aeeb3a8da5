import { AppError, SYSTEM_ACTOR, type Actor, type Caller, type Client } from '@agentmarket/contracts';
import type { JobRole } from '@agentmarket/job-machine';
import type { Job } from './job.entity.ts';

/**
 * The caller's role on this job; a stranger gets not_found so that a job's
 * existence never leaks. A job whose price is not held yet exists for no one.
 */
export function roleOnJob(job: Job, caller: Caller): JobRole {
  if (job.fundingStatus !== 'funded') throw jobNotFound(job.id);
  if (caller.type === 'admin') return 'admin';
  if (caller.type === 'user' ? caller.id === job.clientUserId : caller.id === job.clientAgentId) return 'client';
  if (caller.id === job.workerAgentId) return 'worker';
  // The evaluator sees the job and its deliverables, and gives the verdicts the machine lets it.
  if (caller.type === 'agent' && job.evaluatorAgentId && caller.id === job.evaluatorAgentId) return 'evaluator';
  throw jobNotFound(job.id);
}

export function jobNotFound(jobId: string): AppError {
  return new AppError('not_found', 'Job not found', { job_id: jobId });
}

/** Who an event names as its actor: agents by id, admins as users, timers as the system. */
export function actorOf(caller: Caller | 'system'): Actor {
  if (caller === 'system') return SYSTEM_ACTOR;
  return caller.type === 'agent' ? { type: 'agent', id: caller.id } : { type: 'user', id: caller.id };
}

/** The job's client as a wallet owner and actor: an agent or a person. */
export function clientOf(job: Job): Client {
  return job.clientUserId ? { type: 'user', id: job.clientUserId } : { type: 'agent', id: job.clientAgentId ?? '' };
}
