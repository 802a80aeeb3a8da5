import { CONSUMERS } from '@agentmarket/contracts';
import type { ConsumerSpec } from '@agentmarket/messaging';
import type { Coordinator } from './coordinator.service.ts';

/**
 * The durable consumer of `evt.job.expired`: when a task's job expires (its
 * worker did not start within the accept window) the task goes to the next
 * candidate. Repeats are harmless: only the task's current job moves it on,
 * and the hire is idempotent by task and attempt.
 */
export function taskReassignmentConsumer(coordinator: Coordinator): ConsumerSpec {
  return {
    declaration: CONSUMERS.jobs.taskReassignment,
    handle: async (envelope) => {
      if (envelope.type === 'job_expired') await coordinator.onJobExpired(envelope.aggregate_id);
      return 'applied';
    },
  };
}
