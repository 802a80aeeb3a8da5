import { z } from 'zod';
import { AppError } from './errors.ts';
import { isEventType, type EventType } from './events.ts';
import { jobEventDataSchema } from './jobs.ts';
import { currencySchema } from './money.ts';
import { reputationSchema } from './reputation.ts';
import { webhookDisabledPayload, webhookTestPayload } from './webhooks.ts';

/**
 * The payload (`data`) of every event type, as producers write it and
 * consumers read it. Loose objects on purpose: a newer producer may add
 * fields, and an older consumer must not dead-letter its events for that.
 * Only what some reader relies on is required.
 */

/** identity's public view of an agent, as carried by agent_registered and agent_updated. */
const agentProfilePayload = z.looseObject({
  agent: z.looseObject({ id: z.string() }),
});
const agentSuspensionPayload = z.looseObject({ agent_id: z.string() });
const servicePayload = z.looseObject({ service: z.looseObject({ id: z.string() }) });
const serviceSuspensionPayload = z.looseObject({ service_id: z.string(), agent_id: z.string() });
const messagePayload = z.looseObject({ to_agent_id: z.string(), job_id: z.string().nullable() });
const escrowPayload = z.looseObject({
  hold_id: z.string(),
  job_id: z.string(),
  client_agent_id: z.string().nullable(),
  worker_agent_id: z.string(),
  currency: currencySchema,
  amount: z.number().int(),
  worker_amount: z.number().int(),
  client_amount: z.number().int(),
  fee_amount: z.number().int(),
});
/** What every task and bid event names: the task, its poster (one of the two ids) and its title. */
const taskPayload = z.looseObject({
  task_id: z.string(),
  title: z.string(),
  client_agent_id: z.string().nullable(),
  client_user_id: z.string().nullable(),
});
const bidPayload = taskPayload.extend({ bid_id: z.string(), agent_id: z.string(), service_id: z.string(), currency: currencySchema, price: z.number().int() });
const walletCreditPayload = z.looseObject({ currency: currencySchema, amount: z.number().int() });
const reputationPayload = reputationSchema.loose();

export const EVENT_PAYLOAD_SCHEMAS = {
  agent_registered: agentProfilePayload,
  agent_updated: agentProfilePayload,
  agent_key_rotated: z.looseObject({}),
  agent_suspended: agentSuspensionPayload,
  agent_unsuspended: agentSuspensionPayload,
  service_created: servicePayload,
  service_updated: servicePayload,
  service_deactivated: servicePayload,
  service_suspended: serviceSuspensionPayload,
  service_unsuspended: serviceSuspensionPayload,
  job_created: jobEventDataSchema,
  job_started: jobEventDataSchema,
  job_delivered: jobEventDataSchema,
  revision_requested: jobEventDataSchema,
  job_completed: jobEventDataSchema,
  job_cancelled: jobEventDataSchema,
  job_failed: jobEventDataSchema,
  job_expired: jobEventDataSchema,
  job_disputed: jobEventDataSchema,
  job_resolved: jobEventDataSchema,
  job_deadline_passed: jobEventDataSchema,
  client_rated: jobEventDataSchema.extend({ rating: z.number().int().min(1).max(5), review: z.string().nullable() }),
  extension_requested: jobEventDataSchema.extend({ minutes: z.number().int(), reason: z.string() }),
  extension_granted: jobEventDataSchema.extend({ minutes: z.number().int(), delivery_deadline: z.string() }),
  extension_declined: jobEventDataSchema.extend({ minutes: z.number().int() }),
  dispute_responded: jobEventDataSchema.extend({ action: z.enum(['propose_split', 'contest']), worker_share_pct: z.number().int().nullable() }),
  job_tipped: jobEventDataSchema.extend({ tip_id: z.string(), tip_amount: z.number().int(), tip_fee_amount: z.number().int() }),
  task_posted: taskPayload,
  task_expired: taskPayload.extend({ bid_count: z.number().int() }),
  bid_placed: bidPayload,
  bid_withdrawn: bidPayload,
  bid_accepted: bidPayload.extend({ job_id: z.string() }),
  bid_rejected: bidPayload,
  message_sent: messagePayload,
  escrow_held: escrowPayload,
  escrow_released: escrowPayload,
  escrow_refunded: escrowPayload,
  escrow_split: escrowPayload,
  wallet_credited: walletCreditPayload,
  llm_work_requested: z.looseObject({}),
  reputation_updated: reputationPayload,
  webhook_test: webhookTestPayload,
  webhook_disabled: webhookDisabledPayload,
} as const satisfies Record<EventType, z.ZodType>;

export type EventPayload<T extends EventType> = z.output<(typeof EVENT_PAYLOAD_SCHEMAS)[T]>;

/**
 * The payload of an event of `type`, checked against its schema. A mismatch
 * can never be fixed by a retry: a permanent `validation_failed` (the
 * consumer dead-letters the event, the producer refuses to write it). A type
 * this version does not know passes through untouched: its readers are newer.
 */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventPayload<T>;
export function parseEventData(type: string, data: unknown): Record<string, unknown>;
export function parseEventData(type: string, data: unknown): Record<string, unknown> {
  if (!isEventType(type)) return data as Record<string, unknown>;
  const parsed = EVENT_PAYLOAD_SCHEMAS[type].safeParse(data);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const details = Object.fromEntries(parsed.error.issues.slice(0, 10).map((issue) => [issue.path.join('.') || '(data)', issue.message]));
  throw new AppError('validation_failed', `Malformed ${type} event`, details);
}
