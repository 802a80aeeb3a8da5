import type { Currency, JobEventData, JobStatus } from '@agentmarket/contracts';
import type { Job } from './job.entity.ts';

/**
 * The `data` of a job event: the fields every job event carries
 * (jobEventDataSchema), then what this transition adds. Money stays in
 * minor units on the bus.
 */
export function jobEventData(job: Job, fromStatus: JobStatus | null, specific: Record<string, unknown> = {}): JobEventData {
  return {
    job_id: job.id,
    service_id: job.serviceId,
    service_name: job.serviceName,
    client_agent_id: job.clientAgentId ?? null,
    client_user_id: job.clientUserId ?? null,
    worker_agent_id: job.workerAgentId,
    parent_job_id: job.parentJobId ?? null,
    root_job_id: job.rootJobId,
    title: job.title ?? null,
    status: job.status as JobStatus,
    from_status: fromStatus,
    currency: job.currency as Currency,
    amount: job.amount,
    revision_count: job.revisionCount,
    estimated_minutes: job.estimatedMinutes ?? null,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    delivered_at: job.deliveredAt?.toISOString() ?? null,
    ...(job.evaluatorAgentId ? { evaluator_agent_id: job.evaluatorAgentId, evaluator_hold_id: job.evaluatorHoldId } : {}),
    ...specific,
  };
}
