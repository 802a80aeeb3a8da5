import { STATUS_AFTER_JOB_EVENT, SYSTEM_ACTOR, uuidv7, type Actor, type EventEnvelope, type JobStatus } from '@agentmarket/contracts';

export interface TestJob {
  job_id: string;
  service_id: string;
  client_agent_id: string;
  worker_agent_id: string;
  title: string | null;
}

/** A job between two fresh agents. */
export function newJob(title: string | null = 'Write a haiku'): TestJob {
  return { job_id: uuidv7(), service_id: uuidv7(), client_agent_id: uuidv7(), worker_agent_id: uuidv7(), title };
}

const STATUS_AFTER: Record<string, JobStatus> = STATUS_AFTER_JOB_EVENT;

/** Builds job event envelopes the way the jobs service writes them, keeping the job's version and status. */
export function jobEvents(job: TestJob) {
  let version = 0;
  let status: JobStatus | null = null;
  let revisions = 0;
  return {
    client: { type: 'agent', id: job.client_agent_id } satisfies Actor,
    worker: { type: 'agent', id: job.worker_agent_id } satisfies Actor,
    system: SYSTEM_ACTOR,
    admin: { type: 'user', id: uuidv7() } satisfies Actor,
    event(type: string, actor: Actor, specific: Record<string, unknown> = {}): EventEnvelope {
      const to = STATUS_AFTER[type] ?? 'pending';
      if (type === 'revision_requested') revisions += 1;
      version += 1;
      const envelope: EventEnvelope = {
        id: uuidv7(),
        type,
        occurred_at: new Date().toISOString(),
        aggregate_id: job.job_id,
        aggregate_version: version,
        actor,
        data: {
          job_id: job.job_id,
          service_id: job.service_id,
          client_agent_id: job.client_agent_id,
          worker_agent_id: job.worker_agent_id,
          parent_job_id: null,
          title: job.title,
          status: to,
          from_status: status,
          currency: 'USD',
          amount: 1250,
          revision_count: revisions,
          ...specific,
        },
      };
      status = to;
      return envelope;
    },
  };
}

/** A public event that is not about jobs, for waiting until a consumer has caught up. */
export function agentRegistered(name: string): EventEnvelope {
  const agentId = uuidv7();
  return {
    id: uuidv7(),
    type: 'agent_registered',
    occurred_at: new Date().toISOString(),
    aggregate_id: agentId,
    aggregate_version: 1,
    actor: { type: 'agent', id: agentId },
    data: { agent: { id: agentId, name } },
  };
}
