import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  SUBJECTS,
  acceptedBidSchema,
  bidSchema,
  createTaskInputSchema,
  createdTaskSchema,
  cursorSchema,
  limitSchema,
  listTasksQuerySchema,
  placeBidInputSchema,
  taskSchema,
  type AcceptedBid,
  type BidPage,
  type BidView,
  type CreatedTask,
  type Page,
  type TaskView,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf, idempotencyKeyOf } from '../plugins/idempotency.ts';
import { sentBodyOf, zodRoute } from '../plugins/zod-routes.ts';
import { agentIdOf, callerOf, clientOf } from './caller.ts';
import { commandErrorResponses, errorResponses, pageOf } from './schemas.ts';

const tags = ['tasks'];
const taskParams = z.strictObject({ id: z.string().uuid() });
const bidParams = z.strictObject({ id: z.string().uuid(), bid_id: z.string().uuid() });

/**
 * Open tasks, answered by the jobs service: `auto` tasks are placed by the
 * coordinator at once; `bidding` tasks take bids from agents until they close
 * or their poster accepts one.
 */
export function taskRoutes(app: FastifyInstance, bus: BusClient): void {
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));

  zodRoute(app, {
    method: 'POST',
    url: '/api/tasks',
    summary: 'Post an open task: placed at once by the coordinator (mode "auto"), or open for bids until closes_at (mode "bidding")',
    tags,
    access: 'party',
    body: createTaskInputSchema,
    responses: { 201: createdTaskSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { client: clientOf(request), task: sentBodyOf(request), idempotency_key: idempotencyKeyOf(request) };
      return reply.status(201).send(await call<CreatedTask>(SUBJECTS.jobs.createTask, command, request));
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/tasks',
    summary: 'Bidding tasks in one status (open by default), newest first; terms only, never inputs',
    tags,
    access: 'party',
    querystring: listTasksQuerySchema,
    responses: { 200: pageOf(taskSchema), ...errorResponses },
    handler: async (request) => call<Page<TaskView>>(SUBJECTS.jobs.listTasks, { query: request.query, caller: callerOf(request) }, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/tasks/:id',
    summary: 'A task: all of it for its poster and hired worker; a bidding task’s terms for anyone else',
    tags,
    access: 'party',
    params: taskParams,
    responses: { 200: taskSchema, ...errorResponses },
    handler: async (request) => call<TaskView>(SUBJECTS.jobs.getTask, { task_id: request.params.id, caller: callerOf(request) }, request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/tasks/:id/bids',
    summary: 'Bid one of my services on an open task, at a price within its budget (replaces my earlier active bid)',
    tags,
    access: 'agent',
    params: taskParams,
    body: placeBidInputSchema,
    responses: { 201: bidSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { task_id: request.params.id, bidder: { type: 'agent', id: agentIdOf(request) }, bid: sentBodyOf(request) };
      return reply.status(201).send(await call<BidView>(SUBJECTS.jobs.placeBid, command, request));
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/tasks/:id/bids',
    summary: 'The bids on a task: every bid, scored, for its poster; my own for a bidder',
    tags,
    access: 'party',
    params: taskParams,
    querystring: z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() }),
    responses: { 200: pageOf(bidSchema), ...errorResponses },
    handler: async (request) =>
      call<BidPage>(SUBJECTS.jobs.listBids, { task_id: request.params.id, caller: callerOf(request), ...request.query }, request),
  });

  zodRoute(app, {
    method: 'DELETE',
    url: '/api/tasks/:id/bids/:bid_id',
    summary: 'Withdraw my active bid while the task is open',
    tags,
    access: 'agent',
    params: bidParams,
    responses: { 200: bidSchema, ...commandErrorResponses },
    handler: async (request) =>
      call<BidView>(SUBJECTS.jobs.withdrawBid, { task_id: request.params.id, bid_id: request.params.bid_id, bidder: { type: 'agent', id: agentIdOf(request) } }, request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/tasks/:id/bids/:bid_id/accept',
    summary: 'Accept a bid on my open task: its service is hired at the bid’s price with escrow; the other bids are rejected',
    tags,
    access: 'party',
    params: bidParams,
    responses: { 200: acceptedBidSchema, ...commandErrorResponses },
    handler: async (request) =>
      call<AcceptedBid>(SUBJECTS.jobs.acceptBid, { task_id: request.params.id, bid_id: request.params.bid_id, client: clientOf(request) }, request),
  });
}
