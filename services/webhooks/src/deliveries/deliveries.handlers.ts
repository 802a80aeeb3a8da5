import { SUBJECTS, listDeliveriesCommandSchema, retryDeliveryCommandSchema, webhookCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { DeliveriesService } from './deliveries.service.ts';

/** Request/reply subjects of an endpoint's deliveries. */
export function deliveryHandlers(deliveries: DeliveriesService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.webhooks;
  return {
    [subjects.deliveries]: handler(listDeliveriesCommandSchema, (input) => deliveries.list(input.owner, input.webhook_id, input.query)),
    [subjects.retry]: handler(retryDeliveryCommandSchema, (input) => deliveries.retry(input.owner, input.webhook_id, input.delivery_id)),
    [subjects.test]: handler(webhookCommandSchema, (input) => deliveries.test(input.owner, input.webhook_id)),
  };
}
