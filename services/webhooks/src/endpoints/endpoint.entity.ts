import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A webhook endpoint of one owner (an agent or a person). The signing secret
 * is kept as issued: HMAC signing needs the key itself, so unlike API keys it
 * cannot be stored as a hash; only this service's database role reads it,
 * and no API shows it again after create or rotate-secret.
 */
export const EndpointSchema = defineEntity({
  name: 'Endpoint',
  tableName: 'endpoints',
  properties: {
    id: p.uuid().primary(),
    ownerType: p.string(),
    ownerId: p.uuid(),
    url: p.text(),
    eventTypes: p.array(),
    description: p.text().nullable(),
    secret: p.text(),
    /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`, so receivers can switch over. */
    previousSecret: p.text().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    /** Sent as `Authorization` with every delivery (A2A push configs carry one); never shown. */
    authorizationHeader: p.text().nullable(),
    /** Only this job's events (an A2A push config), or null for all the owner may see. */
    jobId: p.uuid().nullable(),
    /** `standard` (the event) or `a2a` (the A2A push notification for it). */
    format: p.string(),
    /** An A2A push config's id, its owner's name for it within the job. */
    pushConfigId: p.text().nullable(),
    /** Sent as `X-A2A-Notification-Token` (the A2A config's token). */
    pushToken: p.text().nullable(),
    isActive: p.boolean(),
    disabledReason: p.text().nullable(),
    /** When the current run of failed attempts began; null after a success. */
    failingSince: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Endpoint = InferEntity<typeof EndpointSchema>;
