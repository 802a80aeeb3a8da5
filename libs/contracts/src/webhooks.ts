import { z } from 'zod';
import { EVENT_TYPES, type EventType } from './events.ts';
import { clientSchema } from './jobs.ts';
import { cursorSchema, limitSchema, type Page } from './pagination.ts';

const uuid = z.string().uuid();

/** Longest endpoint URL we store and sign for. */
export const WEBHOOK_URL_MAX_LENGTH = 2048;
/** Most event types one endpoint names (there are fewer types than this). */
export const WEBHOOK_EVENT_TYPES_MAX = 64;

/** Event types an endpoint may subscribe to: every type on EVENTS (not work items, not the test ping, which is sent on demand). */
export const SUBSCRIBABLE_EVENT_TYPES = (Object.keys(EVENT_TYPES) as EventType[]).filter(
  (type) => type !== 'llm_work_requested' && type !== 'webhook_test',
);
const subscribable = new Set<string>(SUBSCRIBABLE_EVENT_TYPES);

/** Any event the owner may see. */
export const ALL_EVENTS = '*';

/**
 * The shape of an endpoint URL: absolute http(s), no credentials in it, no
 * fragment. Whether http is allowed and where the host points is the
 * webhooks service's decision (it knows WEBHOOK_ALLOW_PRIVATE_NETWORKS).
 */
export const webhookUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(WEBHOOK_URL_MAX_LENGTH)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '' && url.hash === '';
    } catch {
      return false;
    }
  }, 'must be an absolute https URL without credentials or fragment');

/** `["*"]`, or known event type names (deduplicated). */
export const webhookEventTypesSchema = z
  .array(z.string().max(64))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES_MAX)
  .superRefine((types, context) => {
    if (types.includes(ALL_EVENTS) && types.length > 1) context.addIssue({ code: 'custom', message: '"*" stands alone: it already means every event' });
    for (const type of types) {
      if (type !== ALL_EVENTS && !subscribable.has(type)) context.addIssue({ code: 'custom', message: `unknown event type: ${type}` });
    }
  })
  .transform((types) => [...new Set(types)]);

const descriptionSchema = z.string().trim().max(500);

// ---- HTTP inputs ----
export const createWebhookInputSchema = z.strictObject({
  url: webhookUrlSchema,
  event_types: webhookEventTypesSchema,
  description: descriptionSchema.optional(),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInputSchema>;

export const updateWebhookInputSchema = z.strictObject({
  url: webhookUrlSchema.optional(),
  event_types: webhookEventTypesSchema.optional(),
  is_active: z.boolean().optional(),
  description: descriptionSchema.optional(),
});
export type UpdateWebhookInput = z.infer<typeof updateWebhookInputSchema>;

export const webhookIdParamsSchema = z.strictObject({ id: uuid });
export const webhookDeliveryParamsSchema = z.strictObject({ id: uuid, delivery_id: uuid });
export const webhookListQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() });
export const webhookDeliveriesQuerySchema = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type WebhookDeliveriesQuery = z.infer<typeof webhookDeliveriesQuerySchema>;

// ---- commands (gateway → webhooks): the owner is the verified caller, an agent or a person ----
export const webhookOwnerSchema = clientSchema;
export type WebhookOwner = z.infer<typeof webhookOwnerSchema>;

export const createWebhookCommandSchema = z.strictObject({
  owner: webhookOwnerSchema,
  webhook: createWebhookInputSchema,
  /**
   * A header value sent as `Authorization` with every delivery (an A2A
   * push-notification config's credentials); not offered on the REST route.
   */
  authorization: z.string().min(1).max(4096).optional(),
});
export const updateWebhookCommandSchema = z.strictObject({ owner: webhookOwnerSchema, webhook_id: uuid, changes: updateWebhookInputSchema });
export const webhookCommandSchema = z.strictObject({ owner: webhookOwnerSchema, webhook_id: uuid });
export const listWebhooksCommandSchema = z.strictObject({ owner: webhookOwnerSchema, query: webhookListQuerySchema });
export const listDeliveriesCommandSchema = z.strictObject({ owner: webhookOwnerSchema, webhook_id: uuid, query: webhookDeliveriesQuerySchema });
export const retryDeliveryCommandSchema = z.strictObject({ owner: webhookOwnerSchema, webhook_id: uuid, delivery_id: uuid });

// ---- A2A push-notification configs (gateway → webhooks): a webhook of the owner, scoped to one job, in the A2A format ----
/** Longest client-given config id, A2A token and Authorization value we store. */
export const PUSH_CONFIG_ID_MAX_LENGTH = 128;
export const PUSH_TOKEN_MAX_LENGTH = 1024;
export const PUSH_AUTHORIZATION_MAX_LENGTH = 4096;

/** A header value must not carry a line break (it would end the header). */
const headerValueSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !/[\r\n]/.test(value), 'must not contain a line break');

export const pushConfigIdSchema = z.string().trim().min(1).max(PUSH_CONFIG_ID_MAX_LENGTH);

export const createPushConfigCommandSchema = z.strictObject({
  owner: webhookOwnerSchema,
  /** The job the config follows; the gateway has checked that the owner is one of its parties. */
  job_id: uuid,
  config: z.strictObject({
    id: pushConfigIdSchema,
    url: webhookUrlSchema,
    /** Sent back as `X-A2A-Notification-Token` with every notification. */
    token: headerValueSchema(PUSH_TOKEN_MAX_LENGTH).optional(),
    /** `<scheme> <credentials>`, sent as `Authorization`. */
    authorization: headerValueSchema(PUSH_AUTHORIZATION_MAX_LENGTH).optional(),
  }),
});
export type CreatePushConfigCommand = z.infer<typeof createPushConfigCommandSchema>;
export const pushConfigCommandSchema = z.strictObject({ owner: webhookOwnerSchema, job_id: uuid, config_id: pushConfigIdSchema });
export const listPushConfigsCommandSchema = z.strictObject({ owner: webhookOwnerSchema, job_id: uuid, query: webhookListQuerySchema });

// ---- replies ----
export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  event_types: z.array(z.string()),
  description: z.string().nullable(),
  is_active: z.boolean(),
  /** Why the platform switched it off (it kept failing), or null. */
  disabled_reason: z.string().nullable(),
  /** Only this job's events, or null for every event of the chosen types (an A2A push config follows one job). */
  job_id: z.string().nullable(),
  /** `standard`: the event itself; `a2a`: the A2A push notification (a StreamResponse) for it. */
  format: z.enum(['standard', 'a2a']),
  created_at: z.string(),
  updated_at: z.string(),
});
export type WebhookView = z.infer<typeof webhookSchema>;
export type WebhookPage = Page<WebhookView>;

/** Create and rotate-secret answer with the signing secret, shown this once. */
export const webhookWithSecretSchema = webhookSchema.extend({ secret: z.string() });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;
export type WebhookDeliveryPage = Page<WebhookDeliveryView>;

/** An A2A push-notification config as its owner reads it back: the credentials of its Authorization header are never shown. */
export const pushConfigSchema = z.object({
  id: z.string(),
  job_id: z.string(),
  /** The webhook that stores it (GET /api/webhooks/{id}, its deliveries, rotate-secret). */
  webhook_id: z.string(),
  url: z.string(),
  token: z.string().nullable(),
  /** The Authorization scheme (`Bearer`…), or null. */
  authentication_scheme: z.string().nullable(),
});
export type PushConfigView = z.infer<typeof pushConfigSchema>;
export type PushConfigPage = Page<PushConfigView>;

export const webhookDeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) });
export type WebhookDeleted = z.infer<typeof webhookDeletedSchema>;

// ---- event payloads ----
export const webhookTestPayload = z.looseObject({ webhook_id: z.string() });
/** `agent_id` or `user_id` names the owner, so the event reaches its owner's private feed (eventParties). */
export const webhookDisabledPayload = z.looseObject({
  webhook_id: z.string(),
  url: z.string(),
  owner_type: z.enum(['agent', 'user']),
  failing_since: z.string(),
});
