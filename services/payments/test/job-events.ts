import { STATUS_AFTER_JOB_EVENT, SYSTEM_ACTOR, uuidv7, type Actor, type Currency, type EventEnvelope, type JobStatus } from '@agentmarket/contracts';

/** A job between two agents, as far as payments cares: its id is the hold id. */
export interface TestJob {
  job_id: string;
  client_agent_id: string;
  worker_agent_id: string;
  currency: Currency;
  amount: number;
  /** A subtask budget funded with the hold, from the same payer. */
  budget?: number;
  /** The parent whose subtask budget pays this job's holds, instead of the client's wallet. */
  funded_by_job_id?: string;
  /** An agent that judges the delivery for a fee, held with the price as a hold of its own. */
  evaluator?: { hold_id: string; agent_id: string; amount: number };
}

export function newJob(amount: number, currency: Currency = 'USD', parties: Partial<Pick<TestJob, 'client_agent_id' | 'worker_agent_id'>> = {}): TestJob {
  return { job_id: uuidv7(), client_agent_id: uuidv7(), worker_agent_id: uuidv7(), currency, amount, ...parties };
}

const STATUS_AFTER: Record<string, JobStatus> = STATUS_AFTER_JOB_EVENT;

/** The envelope the jobs service would write for one transition of `job` (version and statuses are not tracked: payments ignores them). */
export function jobEvent(job: TestJob, type: string, specific: Record<string, unknown> = {}, actor: Actor = SYSTEM_ACTOR): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    occurred_at: new Date().toISOString(),
    aggregate_id: job.job_id,
    aggregate_version: 1,
    actor,
    data: {
      job_id: job.job_id,
      service_id: uuidv7(),
      client_agent_id: job.client_agent_id,
      worker_agent_id: job.worker_agent_id,
      parent_job_id: job.funded_by_job_id ?? null,
      title: 'Test job',
      status: STATUS_AFTER[type] ?? 'pending',
      from_status: null,
      currency: job.currency,
      amount: job.amount,
      revision_count: 0,
      ...(job.evaluator ? { evaluator_agent_id: job.evaluator.agent_id, evaluator_hold_id: job.evaluator.hold_id } : {}),
      ...specific,
    },
  };
}

/** The hold request the jobs service sends at hire. */
export function holdCommand(job: TestJob) {
  return {
    hold_id: job.job_id,
    payer: { type: 'agent' as const, id: job.client_agent_id },
    payee_agent_id: job.worker_agent_id,
    currency: job.currency,
    amount: job.amount,
    ...(job.budget ? { budget: job.budget } : {}),
    ...(job.funded_by_job_id ? { funded_by_job_id: job.funded_by_job_id } : {}),
    ...(job.evaluator ? { evaluator: job.evaluator } : {}),
  };
}
