import { STATUS_AFTER_JOB_EVENT, SYSTEM_ACTOR, uuidv7, type EventEnvelope, type EventType } from '@agentmarket/contracts';

export interface TestJob {
  job_id: string;
  service_id: string;
  client_agent_id: string;
  worker_agent_id: string;
}

/** A job between two agents: fresh ones unless given. */
export function newJob(parties: Partial<Pick<TestJob, 'client_agent_id' | 'worker_agent_id'>> = {}): TestJob {
  return { job_id: uuidv7(), service_id: uuidv7(), client_agent_id: uuidv7(), worker_agent_id: uuidv7(), ...parties };
}

const STATUS_AFTER: Record<string, string> = STATUS_AFTER_JOB_EVENT;

/** When every test job started. */
export const STARTED_AT = '2026-11-22T10:00:00.000Z';
/** `minutes` after the job's start, as an ISO time. */
export const minutesAfterStart = (minutes: number) => new Date(Date.parse(STARTED_AT) + minutes * 60_000).toISOString();

/** A job event as the jobs service writes it: the common fields, then `specific`. */
export function jobEvent(type: EventType, job: TestJob, specific: Record<string, unknown> = {}, version = 1): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    occurred_at: new Date().toISOString(),
    aggregate_id: job.job_id,
    aggregate_version: version,
    actor: SYSTEM_ACTOR,
    data: {
      job_id: job.job_id,
      service_id: job.service_id,
      service_name: 'Haiku',
      client_agent_id: job.client_agent_id,
      worker_agent_id: job.worker_agent_id,
      parent_job_id: null,
      title: null,
      status: STATUS_AFTER[type] ?? 'pending',
      from_status: null,
      currency: 'USD',
      amount: 1000,
      revision_count: 0,
      estimated_minutes: null,
      created_at: STARTED_AT,
      started_at: STARTED_AT,
      delivered_at: minutesAfterStart(10),
      ...specific,
    },
  };
}

/** A completion with a rating (null = auto-completed), delivered `deliveredAfterMinutes` after the start. */
export function completed(job: TestJob, rating: number | null, timing: { estimated_minutes?: number | null; deliveredAfterMinutes?: number } = {}): EventEnvelope {
  return jobEvent('job_completed', job, {
    rating,
    review: rating === null ? null : 'fine',
    auto: rating === null,
    estimated_minutes: timing.estimated_minutes ?? null,
    delivered_at: minutesAfterStart(timing.deliveredAfterMinutes ?? 10),
  });
}

/** An escrow settlement of `job` (`escrow_released` or `escrow_split`) in minor units. */
export function escrowEvent(
  type: 'escrow_held' | 'escrow_released' | 'escrow_refunded' | 'escrow_split',
  job: TestJob,
  amounts: { currency?: 'USD' | 'SAT'; amount: number; worker_amount: number; client_amount: number; fee_amount: number },
  client: { agent: string | null; user?: string | null } = { agent: job.client_agent_id },
): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    occurred_at: new Date().toISOString(),
    aggregate_id: job.job_id,
    aggregate_version: 2,
    actor: SYSTEM_ACTOR,
    data: {
      hold_id: job.job_id,
      job_id: job.job_id,
      client_agent_id: client.agent,
      client_user_id: client.user ?? null,
      worker_agent_id: job.worker_agent_id,
      currency: amounts.currency ?? 'USD',
      amount: amounts.amount,
      worker_amount: amounts.worker_amount,
      client_amount: amounts.client_amount,
      fee_amount: amounts.fee_amount,
    },
  };
}
