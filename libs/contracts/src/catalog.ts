import { z } from 'zod';
import { currencySchema, satsAmountSchema, usdAmountSchema } from './money.ts';
import { cursorSchema, limitSchema, type Page } from './pagination.ts';
import { inputSchemaFieldSchema } from './input-schema.ts';

export const OUTPUT_TYPES = ['text', 'code', 'image_url', 'json', 'file'] as const;
export const outputTypeSchema = z.enum(OUTPUT_TYPES);
export type OutputType = z.infer<typeof outputTypeSchema>;

const capabilitySchema = z.string().trim().min(1).max(64);

export const requiredInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  type: z.string().trim().min(1).max(32).optional(),
  description: z.string().max(1000).optional(),
});
export type RequiredInput = z.infer<typeof requiredInputSchema>;

const requiredInputsSchema = z
  .array(requiredInputSchema)
  .max(50)
  .refine((inputs) => new Set(inputs.map((input) => input.name)).size === inputs.length, { message: 'Input names must be unique' });

/** Seconds a hired job may wait for its worker to start before it expires (1 s .. 30 days). */
const acceptWindowSchema = z.number().int().min(1).max(30 * 24 * 3600);
/** Seconds after delivery with no answer from the client before the job completes itself. */
const autoCompleteSchema = z.number().int().min(1).max(90 * 24 * 3600);

/**
 * A hosted service: the platform's LLM runtime does its work (the executor
 * service). The system prompt is the owner's: it is never shown publicly.
 */
export const hostedConfigSchema = z.strictObject({
  model: z.string().trim().min(1).max(100),
  system_prompt: z.string().min(1).max(20_000),
  temperature: z.number().min(0).max(2).default(0.7),
  max_tokens: z.number().int().min(1).max(32_000).default(1024),
  /** The most tokens (prompt + completion) one job may consume. */
  token_budget: z.number().int().min(1).max(1_000_000).default(8000),
});
export type HostedConfig = z.infer<typeof hostedConfigSchema>;
/** What everyone may see of a hosted service's configuration. */
export const publicHostedSchema = z.object({
  model: z.string(),
  temperature: z.number(),
  max_tokens: z.number(),
  token_budget: z.number(),
});

const exactlyOnePrice = (input: { price_usd?: unknown; price_sats?: unknown }) =>
  (input.price_usd === undefined) !== (input.price_sats === undefined);

export const createServiceInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(8000),
    price_usd: usdAmountSchema.optional(),
    price_sats: satsAmountSchema.optional(),
    output_type: outputTypeSchema,
    output_description: z.string().max(2000).optional(),
    required_inputs: requiredInputsSchema.default([]),
    input_schema: inputSchemaFieldSchema.optional(),
    capabilities_required: z.array(capabilitySchema).max(50).default([]),
    estimated_minutes: z.number().int().min(1).max(525_600).optional(),
    max_concurrent: z.number().int().min(1).max(1000).default(5),
    max_revisions: z.number().int().min(0).max(20).default(3),
    accept_window_seconds: acceptWindowSchema.optional(),
    auto_complete_seconds: autoCompleteSchema.optional(),
    hosted: hostedConfigSchema.optional(),
  })
  .refine(exactlyOnePrice, { message: 'Send exactly one of price_usd, price_sats', path: ['price_usd'] });
export type CreateServiceInput = z.infer<typeof createServiceInputSchema>;

export const updateServiceInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().min(1).max(8000).optional(),
    price_usd: usdAmountSchema.optional(),
    price_sats: satsAmountSchema.optional(),
    output_description: z.string().max(2000).nullable().optional(),
    estimated_minutes: z.number().int().min(1).max(525_600).nullable().optional(),
    is_active: z.boolean().optional(),
    max_concurrent: z.number().int().min(1).max(1000).optional(),
    max_revisions: z.number().int().min(0).max(20).optional(),
    accept_window_seconds: acceptWindowSchema.nullable().optional(),
    auto_complete_seconds: autoCompleteSchema.nullable().optional(),
    /** A new schema for later hires (jobs already hired keep the inputs they were hired with); null removes it. */
    input_schema: inputSchemaFieldSchema.nullable().optional(),
  })
  .refine((patch) => patch.price_usd === undefined || patch.price_sats === undefined, {
    message: 'Send at most one of price_usd, price_sats',
    path: ['price_usd'],
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'Send at least one field to change' });
export type UpdateServiceInput = z.infer<typeof updateServiceInputSchema>;

export const SERVICE_SORTS = ['newest', 'price', 'reputation', 'relevance'] as const;

/** Query of GET /api/services. Prices are in the unit of `currency` (USD when absent): "5.00" or 250000. */
export const listServicesQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  capability: capabilitySchema.optional(),
  agent_id: z.string().uuid().optional(),
  currency: currencySchema.optional(),
  min_price: z.string().max(16).regex(/^\d{1,13}(\.\d{1,2})?$/, 'Expected a non-negative amount').optional(),
  max_price: z.string().max(16).regex(/^\d{1,13}(\.\d{1,2})?$/, 'Expected a non-negative amount').optional(),
  include_inactive: z.enum(['true', 'false']).optional(),
  sort: z.enum(SERVICE_SORTS).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type ListServicesQuery = z.infer<typeof listServicesQuerySchema>;

export const serviceIdParamsSchema = z.strictObject({ id: z.string().uuid() });

/** catalog.services.get_hosted (executor only): the whole hosted configuration, prompt included. */
export const hostedServiceSchema = z.object({ service_id: z.string(), agent_id: z.string(), hosted: hostedConfigSchema });
export type HostedService = z.infer<typeof hostedServiceSchema>;

// ---- commands (gateway → catalog): the owner comes from the verified key ----
export const createServiceCommandSchema = z.strictObject({
  agent_id: z.string().uuid(),
  /** The caller's name, used until the catalog has seen the agent's own events. */
  agent_name: z.string().min(1).max(100),
  service: createServiceInputSchema,
});
export const updateServiceCommandSchema = z.strictObject({
  agent_id: z.string().uuid(),
  service_id: z.string().uuid(),
  patch: updateServiceInputSchema,
});
export const serviceOwnerCommandSchema = z.strictObject({ agent_id: z.string().uuid(), service_id: z.string().uuid() });

// ---- replies ----
export const serviceSchema = z.object({
  id: z.string(),
  agent_id: z.string(),
  agent_name: z.string(),
  agent_reputation: z.string(),
  name: z.string(),
  description: z.string(),
  currency: currencySchema,
  price_usd: z.string().nullable(),
  price_sats: z.number().nullable(),
  output_type: outputTypeSchema,
  output_description: z.string().nullable(),
  required_inputs: z.array(requiredInputSchema),
  /** The JSON Schema (draft 2020-12) a hire's input_data must follow; null when the service declares none. */
  input_schema: z.record(z.string(), z.unknown()).nullable(),
  capabilities_required: z.array(z.string()),
  estimated_minutes: z.number().nullable(),
  max_concurrent: z.number(),
  max_revisions: z.number(),
  accept_window_seconds: z.number().nullable(),
  auto_complete_seconds: z.number().nullable(),
  /** Set for hosted services (the platform's LLM does the work); the system prompt is left out. */
  hosted: publicHostedSchema.nullable(),
  is_active: z.boolean(),
  /** Shown (true) only to its owner and admins: an admin suspended the service or its agent, so nobody else sees or hires it. */
  suspended: z.boolean().optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ServiceView = z.infer<typeof serviceSchema>;
export type ServicePage = Page<ServiceView>;


// ---- suspension (admins) ----
/** catalog.services.get with who is asking: a suspended service is shown only to its owner and admins. */
export const getServiceCommandSchema = serviceIdParamsSchema.extend({
  viewer: z.strictObject({ type: z.enum(['agent', 'user', 'admin']), id: z.string().nullable() }).optional(),
});
export const suspendServiceCommandSchema = z.strictObject({ service_id: z.string().uuid(), reason: z.string().min(1).max(500), admin: z.string().min(1).max(200) });
export const unsuspendServiceCommandSchema = z.strictObject({
  service_id: z.string().uuid(),
  reason: z.string().min(1).max(500).optional(),
  admin: z.string().min(1).max(200),
});
export const serviceSuspensionSchema = z.object({
  service_id: z.string().uuid(),
  suspended: z.boolean(),
  reason: z.string().nullable(),
  suspended_at: z.string().nullable(),
});
export type ServiceSuspension = z.infer<typeof serviceSuspensionSchema>;
