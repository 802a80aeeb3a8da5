import { CONSUMERS } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import type { Coordinator } from './coordinator.service.ts';

/**
 * The durable consumer of `evt.job.expired`: when a task's job expires (its
 * worker did not start within the accept window) the task goes to the next
 * candidate. Repeats are harmless: only the task's current job moves it on,
 * and the hire is idempotent by task and attempt, so no inbox is needed (and
 * no transaction: the coordinator hires through the bus).
 */
export function taskReassignmentConsumer(coordinator: Coordinator): ConsumerSpec {
  return eventConsumer({
    declaration: CONSUMERS.jobs.taskReassignment,
    reads: ['job_expired'],
    applyIdempotently: async (events) => {
      for (const { envelope } of events) await coordinator.onJobExpired(envelope.aggregate_id);
    },
  });
}
