import { SUBJECTS, createTaskCommandSchema, taskQueryCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { Coordinator } from './coordinator.service.ts';

/** Request/reply subjects of the coordinator (open tasks). */
export function taskHandlers(coordinator: Coordinator): Record<string, RequestHandler> {
  return {
    [SUBJECTS.jobs.createTask]: handler(createTaskCommandSchema, (input, context) =>
      coordinator.createTask(input.client, input.task, input.idempotency_key, context.requestId),
    ),
    [SUBJECTS.jobs.getTask]: handler(taskQueryCommandSchema, (input) => coordinator.get(input.task_id, input.caller)),
  };
}
