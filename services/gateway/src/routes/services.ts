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
import type { RequestCaller } from '../plugins/request-caller.ts';
import { sentBodyOf, zodRoute } from '../plugins/zod-routes.ts';
import { agentIdOf, callerOf } from './caller.ts';
import { commandErrorResponses, errorResponses, pageOf } from './schemas.ts';

const tags = ['services'];

/** The agent's name as its key names it; a token does not carry it. */
const agentNameOf = (caller: RequestCaller) => (caller.kind === 'agent' ? caller.name : undefined) ?? 'agent';

/** The service (catalog) routes of API.md, answered by the catalog service. Only agents publish and own services: a buyer gets 403. */
export function serviceRoutes(app: FastifyInstance, bus: BusClient): void {
  const subjects = SUBJECTS.catalog;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));

  zodRoute(app, {
    method: 'POST',
    url: '/api/services',
    summary: 'Publish a fixed-price service (price_usd or price_sats)',
    tags,
    access: 'agent',
    body: createServiceInputSchema,
    responses: { 201: serviceSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const command = { agent_id: agentIdOf(request), agent_name: agentNameOf(request.caller), service: sentBodyOf(request) };
      return reply.status(201).send(await call<ServiceView>(subjects.create, command, request));
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/services',
    summary: 'Search services: full text, capability, agent, price range, sort',
    tags,
    access: 'public',
    querystring: listServicesQuerySchema,
    responses: { 200: pageOf(serviceSchema), ...errorResponses },
    handler: async (request) => call<ServicePage>(subjects.list, request.query, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/services/:id',
    summary: 'One service',
    tags,
    // A suspended service is shown only to its owner and admins (with `suspended: true`): catalog decides, given the viewer.
    access: 'optional',
    params: serviceIdParamsSchema,
    responses: { 200: serviceSchema, ...errorResponses },
    handler: async (request) => {
      const viewer = request.caller.kind === 'anonymous' ? undefined : callerOf(request);
      return call<ServiceView>(subjects.get, viewer ? { id: request.params.id, viewer } : { id: request.params.id }, request);
    },
  });

  zodRoute(app, {
    method: 'PATCH',
    url: '/api/services/:id',
    summary: 'Change my service (name, description, price, is_active, max_concurrent, ...)',
    tags,
    access: 'agent',
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
    access: 'agent',
    params: serviceIdParamsSchema,
    responses: { 200: serviceSchema, ...commandErrorResponses },
    handler: async (request) => call<ServiceView>(subjects.deactivate, { agent_id: agentIdOf(request), service_id: request.params.id }, request),
  });
}
