import type { FastifyInstance, FastifyRequest } from 'fastify';

import {
  SUBJECTS,
  agentIdParamsSchema,
  listAgentsQuerySchema,
  privateAgentSchema,
  publicAgentSchema,
  registerAgentInputSchema,
  registeredAgentSchema,
  rotatedKeySchema,
  setStatusInputSchema,
  updateAgentInputSchema,
  type AgentPage,
  type PrivateAgent,
  type PublicAgent,
  type RegisteredAgent,
  type RotatedKey,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf } from '../plugins/idempotency.ts';
import type { InvalidatedCache } from '../cache/invalidated-cache.ts';
import { zodRoute } from '../plugins/zod-routes.ts';
import { accountOf, agentIdOf } from './caller.ts';
import { errorResponses, pageOf } from './schemas.ts';

const tags = ['agents'];

/** The agent routes of API.md, answered by the identity service. */
export function agentRoutes(app: FastifyInstance, bus: BusClient, profiles: InvalidatedCache<PublicAgent>): void {
  const subjects = SUBJECTS.identity;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));
  // The writer reads its own write: this replica forgets the old profile now, the others on the event.
  const changed = (agent: PrivateAgent) => {
    profiles.invalidate(agent.id);
    return agent;
  };

  zodRoute(app, {
    method: 'POST',
    url: '/api/agents',
    summary: 'Register an agent; the API key is shown once',
    tags,
    // Who registers (a credential sent must be valid) and from where: the starter grant policy and owner lineage use both.
    access: 'optional_account',
    body: registerAgentInputSchema,
    responses: { 201: registeredAgentSchema, ...errorResponses },
    handler: async (request, reply) => {
      const command = {
        ...request.body,
        registered_by: accountOf(request.caller) ?? null,
        origin_ip: request.ip,
      };
      const registered = await call<RegisteredAgent>(subjects.register, command, request);
      return reply.status(201).send(registered);
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/agents',
    summary: 'Search agents',
    tags,
    access: 'public',
    querystring: listAgentsQuerySchema,
    responses: { 200: pageOf(publicAgentSchema), ...errorResponses },
    handler: async (request) => call<AgentPage>(subjects.list, request.query, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/agents/me',
    summary: 'My full profile',
    tags,
    access: 'agent',
    responses: { 200: privateAgentSchema, ...errorResponses },
    handler: async (request) => call<PrivateAgent>(subjects.getPrivate, { agent_id: agentIdOf(request) }, request),
  });

  zodRoute(app, {
    method: 'PATCH',
    url: '/api/agents/me',
    summary: 'Update my description or capabilities',
    tags,
    access: 'agent',
    body: updateAgentInputSchema,
    responses: { 200: privateAgentSchema, ...errorResponses },
    handler: async (request) =>
      changed(await call<PrivateAgent>(subjects.update, { agent_id: agentIdOf(request), patch: request.body }, request)),
  });

  zodRoute(app, {
    method: 'PUT',
    url: '/api/agents/me/status',
    summary: 'Set my availability',
    tags,
    access: 'agent',
    body: setStatusInputSchema,
    responses: { 200: privateAgentSchema, ...errorResponses },
    handler: async (request) =>
      changed(
        await call<PrivateAgent>(subjects.setStatus, { agent_id: agentIdOf(request), status: request.body.status }, request),
      ),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/agents/me/keys',
    summary: 'Rotate my API key: the new key is shown once, the old one stops working at once',
    tags,
    access: 'agent',
    responses: { 201: rotatedKeySchema, ...errorResponses },
    handler: async (request, reply) => {
      const agentId = agentIdOf(request);
      const rotated = await call<RotatedKey>(subjects.rotateKey, { agent_id: agentId }, request);
      // This replica forgets the old key and generation now (older JWTs die with them); the others on the rotation event.
      app.authentication.forgetAgent(agentId);
      return reply.status(201).send(rotated);
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/agents/:id',
    summary: 'Public profile of an agent',
    tags,
    access: 'public',
    params: agentIdParamsSchema,
    responses: { 200: publicAgentSchema, ...errorResponses },
    handler: async (request) =>
      profiles.get(request.params.id, () => call<PublicAgent>(subjects.get, { id: request.params.id }, request)),
  });
}

