import { z } from 'zod';
import { cursorSchema, limitSchema, type Page } from './pagination.ts';

export const AGENT_STATUSES = ['available', 'busy', 'offline'] as const;
export const agentStatusSchema = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const API_KEY_PREFIX = 'agmkt_sk_';
export const apiKeyPattern = /^agmkt_sk_[0-9a-f]{64}$/;

const capabilitySchema = z.string().trim().min(1).max(64);
const capabilitiesSchema = z.array(capabilitySchema).max(50);
const descriptionSchema = z.string().max(4000);
/**
 * The agent's own A2A endpoint: when it is hired the market sends it the job
 * as an A2A message. Absolute http(s) here; identity checks the scheme and
 * where the host resolves (the outbound guard) before storing it.
 */
const a2aUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), { message: 'Must be an absolute https URL' })
  .describe("The agent's own A2A endpoint (its card at {a2a_url}/.well-known/agent-card.json, or the JSON-RPC URL itself); hires are sent to it");

// ---- commands (gateway → identity); the HTTP bodies are the same shapes ----

export const registerAgentInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  capabilities: capabilitiesSchema,
  description: descriptionSchema.optional(),
  wallet_address: z.string().trim().min(1).max(200).optional(),
  a2a_url: a2aUrlSchema.nullable().optional(),
});
export type RegisterAgentInput = z.infer<typeof registerAgentInputSchema>;

export const updateAgentInputSchema = z
  .strictObject({
    description: descriptionSchema.optional(),
    capabilities: capabilitiesSchema.optional(),
    /** null clears it: hires are no longer sent anywhere. */
    a2a_url: a2aUrlSchema.nullable().optional(),
  })
  .refine((patch) => patch.description !== undefined || patch.capabilities !== undefined || patch.a2a_url !== undefined, {
    message: 'Send at least one of description, capabilities, a2a_url',
  });
export type UpdateAgentInput = z.infer<typeof updateAgentInputSchema>;

export const setStatusInputSchema = z.strictObject({ status: agentStatusSchema });

export const AGENT_SORTS = ['reputation', 'jobs_completed', 'created_at'] as const;

export const listAgentsQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  capability: capabilitySchema.optional(),
  status: agentStatusSchema.optional(),
  sort: z.enum(AGENT_SORTS).default('created_at'),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
export type ListAgentsQuery = z.infer<typeof listAgentsQuerySchema>;

export const agentIdParamsSchema = z.strictObject({ id: z.string().uuid() });

/** Commands addressed to one agent carry its id, taken from the verified key, never from the body. */
export const agentRefSchema = z.strictObject({ agent_id: z.string().uuid() });
export const updateAgentCommandSchema = z.strictObject({
  agent_id: z.string().uuid(),
  patch: updateAgentInputSchema,
});
export const setStatusCommandSchema = z.strictObject({ agent_id: z.string().uuid(), status: agentStatusSchema });
export const verifyKeyCommandSchema = z.strictObject({ api_key: z.string().min(1).max(200) });

// ---- replies ----

export const registeredAgentSchema = z.object({
  agent_id: z.string().uuid(),
  name: z.string(),
  api_key: z.string(),
  created_at: z.string(),
});
export type RegisteredAgent = z.infer<typeof registeredAgentSchema>;

export const publicAgentSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  description: z.string().nullable(),
  capabilities: z.array(z.string()),
  status: agentStatusSchema,
  reputation_score: z.string().describe('0–5 with two decimals, e.g. "4.83"'),
  jobs_completed: z.number().int(),
  success_rate: z.number().nullable().describe('completed / finished jobs, 0–1; null before the first finished job'),
  on_time_rate: z.number().nullable().describe('completions delivered within the estimate, 0–1; null before the first completion'),
  total_earned: z.string().describe('USD, two decimals'),
  total_earned_sats: z.number().int(),
  client_rating: z
    .string()
    .nullable()
    .describe('The agent as a client, as rated by the workers of its jobs: 0–5 with two decimals; null until a worker rated it'),
  client_jobs_rated: z.number().int().describe("How many of the agent's jobs as a client its workers rated (those that count)"),
  a2a_url: z.string().nullable().describe("The agent's own A2A endpoint, where the market sends its hires; null when the agent takes them through the API"),
  created_at: z.string(),
});
export type PublicAgent = z.infer<typeof publicAgentSchema>;

export const privateAgentSchema = publicAgentSchema.extend({
  wallet_address: z.string().nullable(),
  jobs_hired: z.number().int(),
  total_spent: z.string(),
  total_spent_sats: z.number().int(),
  last_seen_at: z.string().nullable(),
  updated_at: z.string(),
});
export type PrivateAgent = z.infer<typeof privateAgentSchema>;

export type AgentPage = Page<PublicAgent>;

export const rotatedKeySchema = z.object({ agent_id: z.string().uuid(), api_key: z.string(), rotated_at: z.string() });
export type RotatedKey = z.infer<typeof rotatedKeySchema>;

/** Who an API key belongs to; what the gateway caches per key. */
export const agentPrincipalSchema = z.object({
  agent_id: z.string().uuid(),
  name: z.string(),
  key_id: z.string(),
});
export type AgentPrincipal = z.infer<typeof agentPrincipalSchema>;

// ---- credentials, suspension and the admin audit trail ----

/** Who registered an agent, as the gateway verified it (null: anonymous), and the address it came from. */
export const registrarSchema = z.strictObject({ type: z.enum(['agent', 'user']), id: z.string().min(1).max(200) });
export type Registrar = z.infer<typeof registrarSchema>;

/** identity.agents.register as the gateway sends it: the HTTP body plus what the gateway saw of the caller. */
export const registerAgentCommandSchema = registerAgentInputSchema.extend({
  registered_by: registrarSchema.nullable().optional(),
  origin_ip: z.string().min(1).max(64).nullable().optional(),
});
export type RegisterAgentCommand = z.infer<typeof registerAgentCommandSchema>;

/** What the gateway needs to accept an agent's JWT: the current key generation, and whether the agent is suspended. */
export const credentialStateSchema = z.object({ agent_id: z.string().uuid(), key_generation: z.number().int().positive(), suspended: z.boolean() });
export type CredentialState = z.infer<typeof credentialStateSchema>;

/** The acting admin as the audit trail names it: an admin user's id, or `admin-key` for X-Admin-Key. */
export const adminNameSchema = z.string().min(1).max(200);

export const suspendInputSchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const unsuspendInputSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
export const suspendAgentCommandSchema = z.strictObject({ agent_id: z.string().uuid(), reason: z.string().min(1).max(500), admin: adminNameSchema });
export const unsuspendAgentCommandSchema = z.strictObject({ agent_id: z.string().uuid(), reason: z.string().min(1).max(500).optional(), admin: adminNameSchema });

/** An agent's suspension as the admin routes answer it. */
export const agentSuspensionSchema = z.object({
  agent_id: z.string().uuid(),
  suspended: z.boolean(),
  reason: z.string().nullable(),
  suspended_at: z.string().nullable(),
});
export type AgentSuspension = z.infer<typeof agentSuspensionSchema>;

export const auditQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema.optional() });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.string().uuid().describe('the id of the event the action caused'),
  admin: z.string().describe('the admin user id, or "admin-key" for X-Admin-Key'),
  action: z.string().describe('credit, resolve, suspend_agent, unsuspend_agent, suspend_service, unsuspend_service'),
  target: z.object({ type: z.string(), id: z.string() }),
  details: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = Page<AuditEntry>;
