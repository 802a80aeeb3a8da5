import {
  SUBJECTS,
  createWebhookCommandSchema,
  listWebhooksCommandSchema,
  updateWebhookCommandSchema,
  webhookCommandSchema,
} from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { EndpointsService } from './endpoints.service.ts';

/** Request/reply subjects of webhook endpoints; the owner is the caller the gateway verified. */
export function endpointHandlers(endpoints: EndpointsService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.webhooks;
  return {
    [subjects.create]: handler(createWebhookCommandSchema, (input) => endpoints.create(input.owner, input.webhook, input.authorization)),
    [subjects.list]: handler(listWebhooksCommandSchema, (input) => endpoints.list(input.owner, input.query)),
    [subjects.get]: handler(webhookCommandSchema, (input) => endpoints.get(input.owner, input.webhook_id)),
    [subjects.update]: handler(updateWebhookCommandSchema, (input) => endpoints.update(input.owner, input.webhook_id, input.changes)),
    [subjects.delete]: handler(webhookCommandSchema, (input) => endpoints.delete(input.owner, input.webhook_id)),
    [subjects.rotateSecret]: handler(webhookCommandSchema, (input) => endpoints.rotateSecret(input.owner, input.webhook_id)),
  };
}
