import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SUBJECTS, createTaskInputSchema, createdTaskSchema, taskSchema, type CreatedTask, type TaskView } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf, idempotencyKeyOf } from '../plugins/idempotency.ts';
import { sentBodyOf, zodRoute } from '../plugins/zod-routes.ts';
import { callerOf, clientOf } from './caller.ts';
import { commandErrorResponses, errorResponses } from './schemas.ts';

const tags = ['tasks'];

/** Open tasks: the coordinator (jobs service) picks the best service for the task and hires it with escrow. */
export function taskRoutes(app: FastifyInstance, bus: BusClient): void {
  const client = { auth: 'agent-or-admin' as const, preHandler: app.access.parties };

  zodRoute(app, {
    method: 'POST',
    url: '/api/tasks',
    summary: 'Post an open task: the coordinator scores the services that fit and hires the best',
    tags,
    ...client,
    body: createTaskInputSchema,
    responses: { 201: createdTaskSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { client: clientOf(request), task: sentBodyOf(request), idempotency_key: idempotencyKeyOf(request) };
      return reply.status(201).send(await bus.request<CreatedTask>(SUBJECTS.jobs.createTask, command, busOptionsOf(request)));
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/tasks/:id',
    summary: 'One of my tasks: its current job, assignment and every attempt',
    tags,
    ...client,
    params: z.strictObject({ id: z.string().uuid() }),
    responses: { 200: taskSchema, ...errorResponses },
    handler: async (request) =>
      bus.request<TaskView>(SUBJECTS.jobs.getTask, { task_id: request.params.id, caller: callerOf(request) }, busOptionsOf(request)),
  });
}
