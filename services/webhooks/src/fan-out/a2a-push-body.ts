import { StreamResponse } from '@a2a-js/sdk';
import { STATUS_AFTER_JOB_EVENT, jobEventDataSchema } from '@agentmarket/contracts';
import { contextIdOf } from '@agentmarket/contracts/a2a-job-task';
import { taskStateOf } from '@agentmarket/contracts/a2a-task-states';
import type { DeliveredEvent } from '../deliveries/deliveries.repository.ts';

const STATUS_EVENTS = new Set<string>(Object.keys(STATUS_AFTER_JOB_EVENT));

/**
 * The body an A2A push-notification config gets for an event: the A2A v1.0
 * StreamResponse in proto-JSON, as the SDK's own sender serialises it — a
 * status update of the task (the job) to the state its new status maps to,
 * at the moment of the event. Events that do not change a job's status have
 * no A2A form (undefined): nothing is sent for them.
 */
export function a2aPushBodyOf(event: DeliveredEvent): string | undefined {
  if (!STATUS_EVENTS.has(event.type)) return undefined;
  const parsed = jobEventDataSchema.safeParse(event.data);
  if (!parsed.success) return undefined;
  const job = parsed.data;
  const update: StreamResponse = {
    payload: {
      $case: 'statusUpdate',
      value: {
        taskId: job.job_id,
        contextId: contextIdOf({ id: job.job_id, parent_job_id: job.parent_job_id, root_job_id: job.root_job_id }),
        status: { state: taskStateOf(job.status), message: undefined, timestamp: event.occurred_at },
        // As on the task stream: the market's own status, and which event this was (the webhook-id header is its id).
        metadata: { job_status: job.status, event_type: event.type },
      },
    },
  };
  return JSON.stringify(StreamResponse.toJSON(update));
}
