import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One event for one endpoint. `body` is the exact JSON text sent and signed
 * (the event as its owner may see it), so every retry carries the same
 * bytes; `lease_until` marks an attempt in flight on some replica.
 */
export const DeliverySchema = defineEntity({
  name: 'Delivery',
  tableName: 'deliveries',
  properties: {
    id: p.uuid().primary(),
    endpointId: p.uuid(),
    eventId: p.uuid(),
    eventType: p.string(),
    body: p.text(),
    status: p.string(),
    attempts: p.integer(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.text().nullable(),
    nextAttemptAt: p.datetime().nullable(),
    leaseUntil: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});
export type Delivery = InferEntity<typeof DeliverySchema>;
