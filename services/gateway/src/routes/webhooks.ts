import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  SUBJECTS,
  createWebhookInputSchema,
  updateWebhookInputSchema,
  webhookDeletedSchema,
  webhookDeliveriesQuerySchema,
  webhookDeliveryParamsSchema,
  webhookDeliverySchema,
  webhookIdParamsSchema,
  webhookListQuerySchema,
  webhookSchema,
  webhookWithSecretSchema,
  type WebhookDeleted,
  type WebhookDeliveryPage,
  type WebhookDeliveryView,
  type WebhookPage,
  type WebhookView,
  type WebhookWithSecret,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { busOptionsOf } from '../plugins/idempotency.ts';
import { sentBodyOf, zodRoute } from '../plugins/zod-routes.ts';
import { clientOf } from './caller.ts';
import { commandErrorResponses, errorResponses, pageOf } from './schemas.ts';

const tags = ['webhooks'];

/**
 * Webhook endpoints and their delivery logs, answered by the webhooks
 * service. The owner is the caller (an agent or a person); another owner's
 * webhook is not_found, never forbidden.
 */
export function webhookRoutes(app: FastifyInstance, bus: BusClient): void {
  const subjects = SUBJECTS.webhooks;
  const call = <T>(subject: string, payload: unknown, request: FastifyRequest) => bus.request<T>(subject, payload, busOptionsOf(request));
  const ofEndpoint = (request: FastifyRequest & { params: { id: string } }) => ({ owner: clientOf(request), webhook_id: request.params.id });

  zodRoute(app, {
    method: 'POST',
    url: '/api/webhooks',
    summary: 'Register a webhook endpoint; its signing secret is in this answer only',
    tags,
    access: 'party',
    body: createWebhookInputSchema,
    responses: { 201: webhookWithSecretSchema, ...commandErrorResponses },
    handler: async (request, reply) => {
      const created = await call<WebhookWithSecret>(subjects.create, { owner: clientOf(request), webhook: sentBodyOf(request) }, request);
      return reply.status(201).send(created);
    },
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/webhooks',
    summary: 'My webhook endpoints, newest first',
    tags,
    access: 'party',
    querystring: webhookListQuerySchema,
    responses: { 200: pageOf(webhookSchema), ...errorResponses },
    handler: async (request) => call<WebhookPage>(subjects.list, { owner: clientOf(request), query: request.query }, request),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/webhooks/:id',
    summary: 'One of my webhook endpoints',
    tags,
    access: 'party',
    params: webhookIdParamsSchema,
    responses: { 200: webhookSchema, ...errorResponses },
    handler: async (request) => call<WebhookView>(subjects.get, ofEndpoint(request), request),
  });

  zodRoute(app, {
    method: 'PATCH',
    url: '/api/webhooks/:id',
    summary: 'Change a webhook’s url, event_types, description or is_active (true re-enables a disabled one)',
    tags,
    access: 'party',
    params: webhookIdParamsSchema,
    body: updateWebhookInputSchema,
    responses: { 200: webhookSchema, ...commandErrorResponses },
    handler: async (request) => call<WebhookView>(subjects.update, { ...ofEndpoint(request), changes: sentBodyOf(request) }, request),
  });

  zodRoute(app, {
    method: 'DELETE',
    url: '/api/webhooks/:id',
    summary: 'Delete a webhook endpoint and its delivery log',
    tags,
    access: 'party',
    params: webhookIdParamsSchema,
    responses: { 200: webhookDeletedSchema, ...errorResponses },
    handler: async (request) => call<WebhookDeleted>(subjects.delete, ofEndpoint(request), request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/webhooks/:id/rotate-secret',
    summary: 'A new signing secret (in this answer only); the old one also signs for 24 hours',
    tags,
    access: 'party',
    params: webhookIdParamsSchema,
    responses: { 200: webhookWithSecretSchema, ...commandErrorResponses },
    handler: async (request) => call<WebhookWithSecret>(subjects.rotateSecret, ofEndpoint(request), request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/webhooks/:id/test',
    summary: 'Send a webhook_test event to this endpoint now',
    tags,
    access: 'party',
    params: webhookIdParamsSchema,
    responses: { 202: webhookDeliverySchema, ...commandErrorResponses },
    handler: async (request, reply) => reply.status(202).send(await call<WebhookDeliveryView>(subjects.test, ofEndpoint(request), request)),
  });

  zodRoute(app, {
    method: 'GET',
    url: '/api/webhooks/:id/deliveries',
    summary: 'The endpoint’s deliveries, newest first: status, attempts, last answer, next attempt',
    tags,
    access: 'party',
    params: webhookIdParamsSchema,
    querystring: webhookDeliveriesQuerySchema,
    responses: { 200: pageOf(webhookDeliverySchema), ...errorResponses },
    handler: async (request) => call<WebhookDeliveryPage>(subjects.deliveries, { ...ofEndpoint(request), query: request.query }, request),
  });

  zodRoute(app, {
    method: 'POST',
    url: '/api/webhooks/:id/deliveries/:delivery_id/retry',
    summary: 'Send a delivery again now (same body and webhook-id)',
    tags,
    access: 'party',
    params: webhookDeliveryParamsSchema,
    responses: { 202: webhookDeliverySchema, ...commandErrorResponses },
    handler: async (request, reply) =>
      reply
        .status(202)
        .send(await call<WebhookDeliveryView>(subjects.retry, { ...ofEndpoint(request), delivery_id: request.params.delivery_id }, request)),
  });
}
