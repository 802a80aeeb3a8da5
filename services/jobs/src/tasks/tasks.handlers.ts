import {
  SUBJECTS,
  acceptBidCommandSchema,
  createTaskCommandSchema,
  cursorSchema,
  limitSchema,
  listBidsCommandSchema,
  listTasksCommandSchema,
  placeBidCommandSchema,
  taskQueryCommandSchema,
  withdrawBidCommandSchema,
} from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { Bidding } from './bidding.service.ts';
import type { Coordinator } from './coordinator.service.ts';

const listBidsPageSchema = listBidsCommandSchema.extend({ limit: limitSchema, cursor: cursorSchema.optional() });

/** Request/reply subjects of open tasks: the coordinator's placing and the bidding on them. */
export function taskHandlers(coordinator: Coordinator, bidding: Bidding): Record<string, RequestHandler> {
  return {
    [SUBJECTS.jobs.createTask]: handler(createTaskCommandSchema, (input, context) =>
      coordinator.createTask(input.client, input.task, input.idempotency_key, context.requestId),
    ),
    [SUBJECTS.jobs.getTask]: handler(taskQueryCommandSchema, (input) => coordinator.get(input.task_id, input.caller)),
    [SUBJECTS.jobs.listTasks]: handler(listTasksCommandSchema, (input) => coordinator.list(input.query)),
    [SUBJECTS.jobs.placeBid]: handler(placeBidCommandSchema, (input, context) => bidding.placeBid(input.task_id, input.bidder.id, input.bid, context.requestId)),
    [SUBJECTS.jobs.withdrawBid]: handler(withdrawBidCommandSchema, (input) => bidding.withdrawBid(input.task_id, input.bid_id, input.bidder.id)),
    [SUBJECTS.jobs.listBids]: handler(listBidsPageSchema, (input, context) =>
      bidding.listBids(input.task_id, input.caller, input.limit, input.cursor, context.requestId),
    ),
    [SUBJECTS.jobs.acceptBid]: handler(acceptBidCommandSchema, (input, context) => bidding.acceptBid(input.task_id, input.bid_id, input.client, context.requestId)),
  };
}
