import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, uuidv7, type WebhookDeliveriesQuery, type WebhookDeliveryPage, type WebhookDeliveryView, type WebhookOwner } from '@agentmarket/contracts';
import { commandTransaction, cursorId, idPageOf } from '@agentmarket/messaging';
import { ownedEndpoint } from '../endpoints/endpoints.service.ts';
import { WEBHOOKS_SCHEMA } from '../schema.ts';
import { toDeliveryView } from './delivery.views.ts';
import { findDeliveryPage, insertDeliveries, requeueDelivery } from './deliveries.repository.ts';

/** An endpoint's delivery log, manual retries and test pings. Each public method owns its transaction. */
export class DeliveriesService {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  /** Newest first, optionally one status. */
  async list(owner: WebhookOwner, webhookId: string, query: WebhookDeliveriesQuery): Promise<WebhookDeliveryPage> {
    // A forged cursor is 400 whatever the endpoint: the request is judged before the data.
    const after = cursorId(query.cursor, 'webhook_deliveries');
    const em = this.orm.em.fork();
    await ownedEndpoint(em, owner, webhookId);
    const rows = await findDeliveryPage(em, webhookId, { status: query.status, after, limit: query.limit });
    return idPageOf(rows, query.limit, toDeliveryView, 'webhook_deliveries');
  }

  /**
   * Sends a delivery again as soon as a worker is free, whatever its state
   * (a failed one after the schedule ran out, a pending one in backoff, a
   * delivered one the receiver lost). The same body and webhook-id go out.
   */
  async retry(owner: WebhookOwner, webhookId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    return commandTransaction(this.orm, WEBHOOKS_SCHEMA, async (em) => {
      const endpoint = await ownedEndpoint(em, owner, webhookId);
      // A disabled endpoint's queue is paused: the delivery goes when the endpoint is enabled again.
      const row = await requeueDelivery(em, webhookId, deliveryId, endpoint.is_active);
      if (!row) throw new AppError('not_found', 'Delivery not found', { delivery_id: deliveryId });
      return toDeliveryView(row);
    });
  }

  /** Queues a `webhook_test` event for this one endpoint (whatever its event_types) and answers its delivery. */
  async test(owner: WebhookOwner, webhookId: string): Promise<WebhookDeliveryView> {
    return commandTransaction(this.orm, WEBHOOKS_SCHEMA, async (em) => {
      const endpoint = await ownedEndpoint(em, owner, webhookId);
      const event = {
        id: uuidv7(),
        type: 'webhook_test',
        occurred_at: new Date().toISOString(),
        data: { webhook_id: endpoint.id, message: 'A test delivery from AgentMarket: your endpoint is reachable and can verify our signature.' },
      };
      const [row] = await insertDeliveries(em, [{ endpointId: endpoint.id, event }]);
      if (!row) throw new Error('test delivery was not stored');
      return toDeliveryView(row);
    });
  }
}
