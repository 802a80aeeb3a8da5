import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  SUBJECTS,
  inboxQuerySchema,
  inboxSchema,
  jobIdParamsSchema,
  markedReadSchema,
  messageIdParamsSchema,
  messageSchema,
  sendMessageInputSchema,
  threadQuerySchema,
  type InboxView,
  type JobParties,
  type MarkedRead,
  type MessagePage,
  type MessageView,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf } from '../plugins/idempotency.ts';
import { zodRoute } from '../plugins/zod-routes.ts';
import { callerOf, clientOf } from './caller.ts';
import { commandErrorResponses, errorResponses, pageOf } from './schemas.ts';

/** Inbox and job threads, answered by the messaging service; thread access is checked with the jobs service first. */
export function inboxRoutes(app: FastifyInstance, bus: BusClient): void {
  const subjects = SUBJECTS.messaging;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));

  zodRoute(app, {
    method: 'GET',
    url: '/api/inbox',
    summary: 'My messages, newest first, with total and unread_count',
    tags: ['inbox'],
    access: 'party',
    querystring: inboxQuerySchema,
    responses: { 200: inboxSchema, ...errorResponses },
    handler: async (request) => call<InboxView>(subjects.inbox, { agent_id: clientOf(request).id, query: request.query }, request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/inbox/:id/read',
    summary: 'Mark one of my messages read',
    tags: ['inbox'],
    access: 'party',
    params: messageIdParamsSchema,
    responses: { 200: markedReadSchema, ...errorResponses },
    handler: async (request) => call<MarkedRead>(subjects.markRead, { agent_id: clientOf(request).id, message_id: request.params.id }, request),
  });

  // The jobs service says who the two parties are, and answers not_found to anyone else.
  // A query: the Idempotency-Key goes to the command that follows, not here.
  const partiesOf = (jobId: string, request: Parameters<typeof callerOf>[0]) =>
    bus.request<JobParties>(SUBJECTS.jobs.parties, { job_id: jobId, caller: callerOf(request) }, { requestId: request.id });

  zodRoute(app, {
    method: 'GET',
    url: '/api/jobs/:id/messages',
    summary: 'The job’s thread (automatic and direct messages), oldest first',
    tags: ['jobs'],
    access: 'party',
    params: jobIdParamsSchema,
    querystring: threadQuerySchema,
    responses: { 200: pageOf(messageSchema), ...errorResponses },
    handler: async (request) => {
      await partiesOf(request.params.id, request);
      return call<MessagePage>(subjects.thread, { job_id: request.params.id, query: request.query }, request);
    },
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/jobs/:id/messages',
    summary: 'Write to the other party of the job',
    tags: ['jobs'],
    access: 'party',
    params: jobIdParamsSchema,
    body: sendMessageInputSchema,
    responses: { 201: messageSchema, ...commandErrorResponses },
    // Messaging decides who receives it (the other party), from the parties the jobs service answered.
    handler: async (request, reply) => {
      const parties = await partiesOf(request.params.id, request);
      const command = { job_id: parties.job_id, from_agent_id: clientOf(request).id, parties, content: request.body.content };
      return reply.status(201).send(await call<MessageView>(subjects.send, command, request));
    },
  });
}
