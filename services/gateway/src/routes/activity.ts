import type { FastifyInstance } from 'fastify';
import { SUBJECTS, activityEntrySchema, activityQuerySchema, type ActivityPage } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf } from '../plugins/idempotency.ts';
import { zodRoute } from '../plugins/zod-routes.ts';
import { errorResponses, pageOf } from './schemas.ts';

/** The platform activity log: one entry per public event, newest first (public view only). */
export function activityRoutes(app: FastifyInstance, bus: BusClient): void {
  zodRoute(app, {
    method: 'GET',
    url: '/api/activity',
    summary: 'Platform activity log, filterable by agent, job and event type',
    tags: ['activity'],
    access: 'public',
    querystring: activityQuerySchema,
    responses: { 200: pageOf(activityEntrySchema), ...errorResponses },
    handler: async (request) => bus.request<ActivityPage>(SUBJECTS.messaging.activity, request.query, busOptionsOf(request)),
  });
}
