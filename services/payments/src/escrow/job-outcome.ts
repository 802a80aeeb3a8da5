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

/** The job events by which an evaluator's verdict ends a job: the verdict earns its fee. */
const VERDICTS: ReadonlySet<string> = new Set(['job_completed', 'job_failed']);

/**
 * The settlements a job event calls for — the job's hold, and the
 * evaluator fee's when the hire named one — or undefined for an event that
 * moves no money. The fee is released to the evaluator when its verdict
 * ended the job (complete or reject), refunded otherwise. A malformed ending
 * event can never be applied, so it fails permanently (dead letter) instead
 * of being retried.
 */
export function settlementRequestsFor(envelope: EventEnvelope): SettlementRequest[] | undefined {
  const job = settlementRequestFor(envelope);
  if (!job) return undefined;
  const data = envelope.data as { evaluator_agent_id?: unknown; evaluator_hold_id?: unknown };
  if (typeof data.evaluator_hold_id !== 'string' || typeof data.evaluator_agent_id !== 'string') return [job];
  for (const field of ['evaluator_hold_id', 'evaluator_agent_id'] as const) {
    if (!UUID_PATTERN.test(data[field] as string)) throw new AppError('validation_failed', `Malformed ${envelope.type} event`, { [field]: 'not a UUID' });
  }
  const byVerdict = VERDICTS.has(envelope.type) && envelope.actor.id === data.evaluator_agent_id;
  return [job, { holdId: data.evaluator_hold_id, outcome: { kind: byVerdict ? 'release' : 'refund' }, workerAgentId: data.evaluator_agent_id }];
}

/** The settlement of the job's own hold that a job event calls for, or undefined. */
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
