import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  SUBJECTS,
  agentIdParamsSchema,
  agentSuspensionSchema,
  auditEntrySchema,
  auditQuerySchema,
  serviceIdParamsSchema,
  serviceSuspensionSchema,
  suspendInputSchema,
  unsuspendInputSchema,
  adminDisputesQuerySchema,
  disputedJobSchema,
  type AgentSuspension,
  type DisputedJob,
  type Page,
  type AuditPage,
  type ServiceSuspension,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf } from '../plugins/idempotency.ts';
import { sentBodyOf, zodRoute } from '../plugins/zod-routes.ts';
import { callerOf } from './caller.ts';
import { commandErrorResponses, errorResponses, errorResponseSchema, pageOf } from './schemas.ts';

const tags = ['admin'];

/** The acting admin as events and the audit trail name it: an admin user's id, or `admin-key`. */
const adminOf = (request: FastifyRequest): string => callerOf(request).id ?? 'admin-key';

/**
 * Admins' acts on agents and services (suspension), and the audit trail of
 * every admin act. Suspending an agent takes effect on every replica through
 * its event; this replica forgets the agent's credentials at once.
 */
export function adminRoutes(app: FastifyInstance, bus: BusClient): void {
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));
  // The unsuspend body ({reason?}) is optional: an empty one is fine.
  const reasonOf = (request: FastifyRequest) => (sentBodyOf(request) as { reason?: string } | undefined)?.reason;

  zodRoute(app, {
    method: 'POST',
    url: '/api/admin/agents/:id/suspend',
    summary: 'Suspend an agent: its key and tokens are refused (403 suspended), its services leave search; running jobs go on',
    tags,
    access: 'admin',
    params: agentIdParamsSchema,
    body: suspendInputSchema,
    responses: { 200: agentSuspensionSchema, ...commandErrorResponses },
    handler: async (request) => {
      const suspension = await call<AgentSuspension>(
        SUBJECTS.identity.suspend,
        { agent_id: request.params.id, reason: request.body.reason, admin: adminOf(request) },
        request,
      );
      app.authentication.forgetAgent(request.params.id);
      return suspension;
    },
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/admin/agents/:id/unsuspend',
    summary: 'Lift an agent’s suspension',
    tags,
    access: 'admin',
    params: agentIdParamsSchema,
    body: unsuspendInputSchema.optional(),
    responses: { 200: agentSuspensionSchema, ...commandErrorResponses },
    handler: async (request) => {
      const reason = reasonOf(request);
      const suspension = await call<AgentSuspension>(
        SUBJECTS.identity.unsuspend,
        { agent_id: request.params.id, admin: adminOf(request), ...(reason ? { reason } : {}) },
        request,
      );
      app.authentication.forgetAgent(request.params.id);
      return suspension;
    },
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/admin/services/:id/suspend',
    summary: 'Suspend a service: it leaves search and cannot be hired (404 to all but its owner and admins); running jobs go on',
    tags,
    access: 'admin',
    params: serviceIdParamsSchema,
    body: suspendInputSchema,
    responses: { 200: serviceSuspensionSchema, ...commandErrorResponses },
    handler: async (request) =>
      call<ServiceSuspension>(SUBJECTS.catalog.suspend, { service_id: request.params.id, reason: request.body.reason, admin: adminOf(request) }, request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/admin/services/:id/unsuspend',
    summary: 'Lift a service’s suspension',
    tags,
    access: 'admin',
    params: serviceIdParamsSchema,
    body: unsuspendInputSchema.optional(),
    responses: { 200: serviceSuspensionSchema, ...commandErrorResponses },
    handler: async (request) => {
      const reason = reasonOf(request);
      return call<ServiceSuspension>(
        SUBJECTS.catalog.unsuspend,
        { service_id: request.params.id, admin: adminOf(request), ...(reason ? { reason } : {}) },
        request,
      );
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/admin/disputes',
    summary: 'Disputed jobs awaiting a decision, the longest waiting first, each with its dispute (reason, the worker’s answer, respond_by)',
    tags,
    access: 'admin',
    querystring: adminDisputesQuerySchema,
    responses: { 200: pageOf(disputedJobSchema), ...errorResponses, 403: errorResponseSchema },
    handler: async (request) => call<Page<DisputedJob>>(SUBJECTS.jobs.listDisputes, request.query, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/admin/audit',
    summary: 'Every admin act (credit, resolve, suspend, unsuspend) with the admin who did it, newest first',
    tags,
    access: 'admin',
    querystring: auditQuerySchema,
    responses: { 200: pageOf(auditEntrySchema), ...errorResponses, 403: errorResponseSchema },
    handler: async (request) => call<AuditPage>(SUBJECTS.identity.audit, request.query, request),
  });
}
