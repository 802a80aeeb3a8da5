import { z } from 'zod';
import { AppError, UUID_PATTERN, jobEventDataSchema, type EventEnvelope } from '@agentmarket/contracts';
import { issuesToDetails } from '@agentmarket/messaging';
import type { SettlementRequest } from './settle-holds.ts';

/** The job events that end a job, and what each does to its hold (the hold id is the job id). */
const OUTCOME_OF = {
  job_completed: 'release',
  job_cancelled: 'refund',
  job_failed: 'refund',
  job_expired: 'refund',
  job_resolved: 'split',
} as const;

const resolvedDataSchema = z.looseObject({ worker_share_pct: z.number().int().min(0).max(100) });

/** The job events that settle a hold. */
export const SETTLING_JOB_EVENTS = Object.keys(OUTCOME_OF) as (keyof typeof OUTCOME_OF)[];

/** True for the job events that settle a hold. */
export function isSettlingJobEvent(type: string): type is keyof typeof OUTCOME_OF {
  return Object.hasOwn(OUTCOME_OF, type);
}

/**
 * The settlement a job event calls for, or undefined for an event that moves
 * no money. A malformed ending event can never be applied, so it fails
 * permanently (dead letter) instead of being retried.
 */
export function settlementRequestFor(envelope: EventEnvelope): SettlementRequest | undefined {
  if (!isSettlingJobEvent(envelope.type)) return undefined;
  const data = parse(jobEventDataSchema, envelope);
  for (const field of ['job_id', 'worker_agent_id'] as const) {
    if (!UUID_PATTERN.test(data[field])) throw new AppError('validation_failed', `Malformed ${envelope.type} event`, { [field]: 'not a UUID' });
  }
  const kind = OUTCOME_OF[envelope.type];
  const outcome = kind === 'split' ? { kind, workerSharePct: parse(resolvedDataSchema, envelope).worker_share_pct } : { kind };
  return { holdId: data.job_id, outcome, workerAgentId: data.worker_agent_id };
}

function parse<S extends z.ZodType>(schema: S, envelope: EventEnvelope): z.output<S> {
  const parsed = schema.safeParse(envelope.data);
  if (!parsed.success) throw new AppError('validation_failed', `Malformed ${envelope.type} event`, issuesToDetails(parsed.error.issues));
  return parsed.data;
}
