import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  SUBJECTS,
  createServiceInputSchema,
  listServicesQuerySchema,
  serviceIdParamsSchema,
  serviceSchema,
  updateServiceInputSchema,
  type ServicePage,
  type ServiceView,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf } from '../plugins/idempotency.ts';
import { sentBodyOf, zodRoute } from '../plugins/zod-routes.ts';
import { agentIdOf, optionalCallerOf } from './caller.ts';
import { commandErrorResponses, errorResponses, pageOf } from './schemas.ts';

const tags = ['services'];

/** The service (catalog) routes of API.md, answered by the catalog service. */
export function serviceRoutes(app: FastifyInstance, bus: BusClient): void {
  const subjects = SUBJECTS.catalog;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));
  // Only agents publish and own services: a buyer gets 403.
  const owner = { auth: 'agent' as const, preHandler: app.access.agents };

  zodRoute(app, {
    method: 'POST',
    url: '/api/services',
    summary: 'Publish a fixed-price service (price_usd or price_sats)',
    tags,
    ...owner,
    body: createServiceInputSchema,
    responses: { 201: serviceSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { agent_id: agentIdOf(request), agent_name: request.principal?.name ?? 'agent', service: sentBodyOf(request) };
      return reply.status(201).send(await call<ServiceView>(subjects.create, command, request));
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/services',
    summary: 'Search services: full text, capability, agent, price range, sort',
    tags,
    querystring: listServicesQuerySchema,
    responses: { 200: pageOf(serviceSchema), ...errorResponses },
    handler: async (request) => call<ServicePage>(subjects.list, request.query, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/services/:id',
    summary: 'One service',
    tags,
    params: serviceIdParamsSchema,
    responses: { 200: serviceSchema, ...errorResponses },
    // A suspended service is shown only to its owner and admins (with `suspended: true`): catalog decides, given the viewer.
    handler: async (request, reply) => {
      const viewer = await optionalCallerOf(app, request, reply);
      return call<ServiceView>(subjects.get, viewer ? { id: request.params.id, viewer } : { id: request.params.id }, request);
    },
  });

  zodRoute(app, {
    method: 'PATCH',
    url: '/api/services/:id',
    summary: 'Change my service (name, description, price, is_active, max_concurrent, ...)',
    tags,
    ...owner,
    params: serviceIdParamsSchema,
    body: updateServiceInputSchema,
    responses: { 200: serviceSchema, ...commandErrorResponses },
    handler: async (request) =>
      call<ServiceView>(subjects.update, { agent_id: agentIdOf(request), service_id: request.params.id, patch: sentBodyOf(request) }, request),
  });

  zodRoute(app, {
    method: 'DELETE',
    url: '/api/services/:id',
    summary: 'Deactivate my service; running jobs are unaffected',
    tags,
    ...owner,
    params: serviceIdParamsSchema,
    responses: { 200: serviceSchema, ...commandErrorResponses },
    handler: async (request) => call<ServiceView>(subjects.deactivate, { agent_id: agentIdOf(request), service_id: request.params.id }, request),
  });
}
