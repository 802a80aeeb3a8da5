import type { SettingsOf } from '@agentmarket/config';
import type { ServiceModule } from '@agentmarket/messaging';
import type { webhooksSettings } from './config.ts';
import { DeliverySchema } from './deliveries/delivery.entity.ts';
import { deliveryHandlers } from './deliveries/deliveries.handlers.ts';
import { DeliveriesService } from './deliveries/deliveries.service.ts';
import { createDeliveryMetrics } from './deliveries/delivery-metrics.ts';
import { startDeliveryWorker } from './deliveries/delivery-worker.ts';
import { EndpointSchema } from './endpoints/endpoint.entity.ts';
import { endpointHandlers } from './endpoints/endpoints.handlers.ts';
import { EndpointsService } from './endpoints/endpoints.service.ts';
import { fanOutConsumer } from './fan-out/fan-out.consumer.ts';
import { webhooksMigrations } from './migrations/index.ts';
import { WEBHOOKS_SCHEMA } from './schema.ts';
import { pushConfigHandlers } from './push-configs/push-configs.handlers.ts';
import { PushConfigsService } from './push-configs/push-configs.service.ts';
import type { TargetPolicy } from '@agentmarket/net-guard';

export type WebhooksSettings = Pick<
  SettingsOf<typeof webhooksSettings>,
  | 'WEBHOOK_ALLOW_PRIVATE_NETWORKS'
  | 'WEBHOOK_RETRY_SCHEDULE_SECONDS'
  | 'WEBHOOK_DISABLE_AFTER_SECONDS'
  | 'WEBHOOK_TIMEOUT_MS'
  | 'WEBHOOK_CONCURRENCY'
  | 'WEBHOOK_POLL_MS'
>;

const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'webhooks',
  schema: WEBHOOKS_SCHEMA,
  entities: [EndpointSchema, DeliverySchema],
  migrations: webhooksMigrations,
};

/** Webhooks owns endpoints (A2A push configs among them) and their deliveries (schema `webhooks`): it fans EVENTS out to them and delivers, signed, with retries. */
export function createWebhooksModule(settings: WebhooksSettings): ServiceModule {
  const target: TargetPolicy = { allowPrivateNetworks: settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true' };
  return {
    ...SCHEMA_PARTS,
    requestHandlers: ({ orm }) => ({
      ...endpointHandlers(new EndpointsService(orm, target)),
      ...pushConfigHandlers(new PushConfigsService(orm, target)),
      ...deliveryHandlers(new DeliveriesService(orm)),
    }),
    consumers: ({ orm }) => [fanOutConsumer(orm)],
    background: ({ orm, logger, metrics }) => [
      startDeliveryWorker({
        orm,
        logger: logger.child({ loop: 'webhook_deliveries' }),
        target,
        failures: { retryScheduleSeconds: settings.WEBHOOK_RETRY_SCHEDULE_SECONDS, disableAfterSeconds: settings.WEBHOOK_DISABLE_AFTER_SECONDS },
        timeoutMs: settings.WEBHOOK_TIMEOUT_MS,
        concurrency: settings.WEBHOOK_CONCURRENCY,
        pollMs: settings.WEBHOOK_POLL_MS,
        metrics: createDeliveryMetrics(metrics.registry),
      }),
    ],
  };
}

/** The schema half of the module (name, entities, migrations) for the migration runner and tooling. */
export const webhooksModule: ServiceModule = { ...SCHEMA_PARTS, requestHandlers: () => ({}) };
