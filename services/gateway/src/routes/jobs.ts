import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  JOB_ACTIONS,
  JOB_ACTION_INPUTS,
  SUBJECTS,
  clientRatingSchema,
  hireJobInputSchema,
  jobHistorySchema,
  jobIdParamsSchema,
  jobSchema,
  jobTreeSchema,
  listJobsQuerySchema,
  rateClientInputSchema,
  tipInputSchema,
  tipSchema,
  type TipView,
  type ClientRating,
  type JobPage,
  type JobView,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf, idempotencyKeyOf } from '../plugins/idempotency.ts';
import { sentBodyOf, zodRoute } from '../plugins/zod-routes.ts';
import { callerOf, clientOf } from './caller.ts';
import { commandErrorResponses, errorResponses, pageOf } from './schemas.ts';

const tags = ['jobs'];

const ACTION_SUMMARIES: Record<(typeof JOB_ACTIONS)[number], string> = {
  start: 'Worker accepts and starts the job',
  deliver: 'Worker delivers a result (a new deliverable version each time)',
  'request-revision': 'Client asks for a revision (up to the service’s max_revisions)',
  complete: 'Client accepts the delivery and rates it 1–5',
  cancel: 'Client cancels a job that has not started, or a started one past its delivery_deadline (full refund)',
  fail: 'Worker gives up on the job',
  dispute: 'Client disputes a delivery',
  resolve: 'Admin settles a dispute by worker_share_pct',
  'request-extension': 'Worker asks for more minutes before the delivery deadline (one pending request at a time)',
  extension: 'Client grants (the delivery deadline moves) or declines the pending extension request',
  'dispute-response':
    'Worker answers a dispute once, within the response window: accept_refund (resolved, full refund), propose_split (worker_share_pct) or contest (an admin decides)',
  'accept-proposal': 'Client accepts the worker’s pending split proposal: the job is resolved at that share',
  reject: 'The job’s evaluator rejects the delivery: the job fails, the client is refunded',
};

/**
 * The job routes of API.md, answered by the jobs service; a job is visible to its client, its worker and admins only.
 * Every route is open to any party (agents, buyers, admins): the jobs service decides what each role may do with each job.
 */
export function jobRoutes(app: FastifyInstance, bus: BusClient): void {
  const subjects = SUBJECTS.jobs;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));

  zodRoute(app, {
    method: 'POST',
    url: '/api/jobs',
    summary: 'Hire a service: creates a pending job',
    tags,
    access: 'party',
    body: hireJobInputSchema,
    responses: { 201: jobSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { client: clientOf(request), job: sentBodyOf(request), idempotency_key: idempotencyKeyOf(request) };
      const job = await call<JobView>(subjects.hire, command, request);
      return reply.status(201).send(job);
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/jobs',
    summary: 'My jobs, as client, as worker or both; newest first',
    tags,
    access: 'party',
    querystring: listJobsQuerySchema,
    responses: { 200: pageOf(jobSchema), ...errorResponses },
    handler: async (request) => call<JobPage>(subjects.list, { party: clientOf(request), query: request.query }, request),
  });

  const reads = [
    { path: '', subject: subjects.get, summary: 'One job with its deliverables', schema: jobSchema },
    { path: '/tree', subject: subjects.tree, summary: 'The job with all its sub-jobs (parent_job_id)', schema: jobTreeSchema },
    { path: '/history', subject: subjects.history, summary: 'Every transition of the job: from, to, event, actor, at', schema: jobHistorySchema },
  ];
  for (const read of reads) {
    zodRoute(app, {
      method: 'GET',
      url: `/api/jobs/:id${read.path}`,
      summary: read.summary,
      tags,
      access: 'party',
      params: jobIdParamsSchema,
      responses: { 200: read.schema, ...errorResponses },
      handler: async (request) => call(read.subject, { job_id: request.params.id, caller: callerOf(request) }, request),
    });
  }

  for (const action of JOB_ACTIONS) {
    const input: z.ZodType = JOB_ACTION_INPUTS[action];
    zodRoute(app, {
      method: 'POST',
      url: `/api/jobs/:id/${action}`,
      summary: ACTION_SUMMARIES[action],
      tags,
      access: 'party',
      params: jobIdParamsSchema,
      // Actions whose fields are all optional may be sent without a body.
      body: input.safeParse({}).success ? input.optional() : input,
      responses: { 200: jobSchema, ...commandErrorResponses },
      handler: async (request) =>
        call<JobView>(
          subjects.transition,
          { job_id: request.params.id, caller: callerOf(request), action, input: sentBodyOf(request) ?? {} },
          request,
        ),
    });
  }

  zodRoute(app, {
    method: 'POST',
    url: '/api/jobs/:id/rate-client',
    summary: 'Worker rates the client of a completed or resolved job, once (1–5, optional review)',
    tags,
    access: 'party',
    params: jobIdParamsSchema,
    body: rateClientInputSchema,
    responses: { 201: clientRatingSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { job_id: request.params.id, caller: callerOf(request), input: sentBodyOf(request) };
      return reply.status(201).send(await call<ClientRating>(subjects.rateClient, command, request));
    },
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/jobs/:id/tip',
    summary: 'Client tips the worker of a completed or resolved job (job’s currency, platform fee applies; within the tip window)',
    tags,
    access: 'party',
    params: jobIdParamsSchema,
    body: tipInputSchema,
    responses: { 201: tipSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { job_id: request.params.id, caller: callerOf(request), input: sentBodyOf(request), idempotency_key: idempotencyKeyOf(request) };
      return reply.status(201).send(await call<TipView>(subjects.tip, command, request));
    },
  });
}
