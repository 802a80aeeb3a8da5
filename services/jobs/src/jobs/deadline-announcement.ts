import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM_ACTOR, type JobStatus } from '@agentmarket/contracts';
import type { Job } from './job.entity.ts';
import { writeJobChange } from './job-changes.repository.ts';
import { jobEventData } from './job-event-data.ts';

/** The statuses in which a job has a delivery deadline running. */
const STARTED_UNDELIVERED: readonly JobStatus[] = ['in_progress', 'revision_requested'];

/**
 * Tells the parties, once per deadline, that a started job was not delivered
 * in time: its client may now cancel it for a full refund. The job's status
 * does not change, but its version does (the event is ordered with the
 * transitions), and its history shows the moment. A job that was delivered,
 * ended or given a new deadline meanwhile announces nothing.
 */
export async function announceDeliveryDeadline(em: EntityManager, job: Job, now: Date): Promise<boolean> {
  const status = job.status as JobStatus;
  if (!STARTED_UNDELIVERED.includes(status) || !job.deliveryDeadline || job.deliveryDeadline > now) return false;
  job.updatedAt = now;
  const details = { delivery_deadline: job.deliveryDeadline.toISOString() };
  // The version check: a transition committing meanwhile makes this announcement write nothing and roll back.
  await writeJobChange(em, {
    job,
    clearTimers: true,
    history: { fromStatus: status, toStatus: status, event: 'deadline_passed', actor: SYSTEM_ACTOR, details, at: now },
    events: [{ type: 'job_deadline_passed', aggregateId: job.id, aggregateVersion: job.version + 1, actor: SYSTEM_ACTOR, data: jobEventData(job, status, details) }],
  });
  return true;
}
