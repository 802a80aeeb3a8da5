import { jobEventDataSchema, type EventEnvelope } from '@agentmarket/contracts';
import { readEnvelope } from '@agentmarket/messaging';

/** One round of a job a seller's A2A agent may have to do: the hire (round 0) or revision request n (round n). */
export interface SellerWork {
  jobId: string;
  serviceId: string;
  workerAgentId: string;
  round: number;
  /** A revision request's feedback. */
  feedback: string | null;
}

/**
 * The seller work in a job event: `job_created` is round 0, `revision_requested`
 * the round of its revision count; any other job event is none of ours (null).
 */
export function readSellerWork(data: Uint8Array): { ok: true; work: SellerWork | null } | { ok: false; reason: string } {
  // Every job event comes here and most are none of ours: the envelope is checked by hand (zod only explains a bad one).
  let envelope: EventEnvelope;
  try {
    envelope = readEnvelope(data);
  } catch {
    return { ok: false, reason: 'malformed job event: not an event envelope' };
  }
  const { type } = envelope;
  if (type !== 'job_created' && type !== 'revision_requested') return { ok: true, work: null };
  const job = jobEventDataSchema.safeParse(envelope.data);
  if (!job.success) return { ok: false, reason: `malformed ${type} event: ${job.error.issues[0]?.path.join('.') ?? 'invalid data'}` };
  const feedback = envelope.data.feedback;
  return {
    ok: true,
    work: {
      jobId: job.data.job_id,
      serviceId: job.data.service_id,
      workerAgentId: job.data.worker_agent_id,
      round: type === 'job_created' ? 0 : Math.max(1, job.data.revision_count),
      feedback: typeof feedback === 'string' ? feedback : null,
    },
  };
}

/** The A2A messageId of a round: derived from the job, so a resend after a crash is recognisably the same message. */
export function messageIdOf(jobId: string, round: number): string {
  return round === 0 ? `agentmarket-job-${jobId}` : `agentmarket-job-${jobId}-revision-${round}`;
}
