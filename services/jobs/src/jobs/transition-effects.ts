import { AppError, llmWorkSubject, uuidv7, type LlmWork } from '@agentmarket/contracts';
import type { JobMachineEventType, PersistedJobSnapshot } from '@agentmarket/job-machine';
import type { NewEvent } from '@agentmarket/persistence';
import type { Deliverable, Job } from './job.entity.ts';
import type { TimerKind } from '../timers/timers.repository.ts';
import { applyDisputeStep, isDisputeStep } from './dispute-steps.ts';

/** What a transition added beyond the new status: for the event, the history row and the reply, and the rows to write with the job. */
export interface TransitionEffects {
  eventData: Record<string, unknown>;
  historyDetails: Record<string, unknown>;
  /** The timer the new state runs (its others are cleared with the write). */
  timer?: { kind: TimerKind; dueAt: Date };
  /** A delivery's new deliverable, already appended to the job's list for the reply. */
  deliverable?: Deliverable;
  /** The job's timers stay as they are (an extension step that does not move the deadline). */
  keepTimers?: true;
  /** Work for the executor written in the same outbox write as the transition (a hosted job's revision): never one without the other. */
  workItems?: NewEvent[];
}

type Input = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * Applies to the job (in memory) what the accepted machine event means, and
 * says which timer and deliverable rows go with it; the caller writes them
 * all in one statement (job-changes.repository.ts). `deliverables` are the job's existing
 * ones (a delivery adds to them).
 */
export function applyTransitionEffects(
  job: Job,
  deliverables: Deliverable[],
  event: JobMachineEventType,
  input: Input,
  next: PersistedJobSnapshot,
  now: Date,
): TransitionEffects {
  job.status = next.status;
  job.machineSnapshot = next;
  job.revisionCount = next.context.revisionCount;
  job.updatedAt = now;
  // The dispute ladder's steps (dispute-steps.ts): a disputed job has no deadline or extension to clear.
  if (isDisputeStep(event)) return applyDisputeStep(job, event, input, now);
  // Extension steps keep the status, and with it the running delivery deadline.
  if (isExtensionEvent(event)) return extensionEffects(job, event, input, now);
  // Any other transition leaves the started, undelivered state: an unanswered request lapses with it.
  job.pendingExtension = null;
  job.acceptDeadline = null;
  job.autoCompleteAt = null;
  job.deliveryDeadline = null;
  switch (event) {
    case 'start': {
      job.startedAt ??= now;
      const deadline = startDeliveryDeadline(job, now);
      return { eventData: deadline.eventData, historyDetails: deadline.eventData, timer: deadline.timer };
    }
    case 'deliver': {
      const deliverable = addDeliverable(job, deliverables, input, now);
      job.deliveredAt = now;
      job.autoCompleteAt = new Date(now.getTime() + job.autoCompleteSeconds * 1000);
      return {
        timer: { kind: 'auto_complete', dueAt: job.autoCompleteAt },
        deliverable,
        eventData: {
          deliverable: { id: deliverable.id, version: deliverable.version, artifact_type: deliverable.artifactType },
          content: deliverable.content,
          artifact_metadata: deliverable.artifactMetadata,
        },
        historyDetails: { deliverable_version: deliverable.version },
      };
    }
    case 'request_revision': {
      const deadline = startDeliveryDeadline(job, now);
      return {
        eventData: { feedback: input.feedback, ...deadline.eventData },
        historyDetails: { feedback: input.feedback, revision: job.revisionCount, ...deadline.eventData },
        timer: deadline.timer,
        // The model executor does a hosted job's revisions too: it is queued the feedback and what it is to revise.
        ...(job.hosted ? { workItems: [revisionWorkItem(job, deliverables, input.feedback as string)] } : {}),
      };
    }
    case 'complete':
    case 'auto_complete': {
      const auto = event === 'auto_complete';
      job.rating = auto ? null : (input.rating as number);
      job.review = auto ? null : text(input.review);
      job.completedAt = now;
      const details = { rating: job.rating, review: job.review ?? null, auto };
      return { eventData: details, historyDetails: details };
    }
    case 'reject': {
      // The evaluator's rejection fails the job like the worker's own failure would (refund, a failure on its record), saying who and why.
      const details = { reason: text(input.reason), rejected_by: 'evaluator' };
      return { eventData: details, historyDetails: details };
    }
    case 'cancel':
    case 'fail':
    case 'dispute': {
      const details = { reason: text(input.reason) };
      return { eventData: details, historyDetails: details };
    }
    case 'expire':
      return { eventData: {}, historyDetails: { reason: 'accept window passed' } };
    case 'resolve': {
      job.completedAt = now;
      const details = { worker_share_pct: input.worker_share_pct, note: input.note };
      return { eventData: details, historyDetails: details };
    }
  }
}

const EXTENSION_EVENTS = ['request_extension', 'grant_extension', 'decline_extension'] as const;
type ExtensionEvent = (typeof EXTENSION_EVENTS)[number];
const isExtensionEvent = (event: JobMachineEventType): event is ExtensionEvent => (EXTENSION_EVENTS as readonly string[]).includes(event);

/**
 * A request is recorded on the job (one at a time: the machine refuses a
 * second); a grant moves the delivery deadline by the minutes asked for and
 * its timer with it; a decline only clears the request.
 */
function extensionEffects(job: Job, event: ExtensionEvent, input: Input, now: Date): TransitionEffects {
  switch (event) {
    case 'request_extension': {
      const request = { minutes: input.minutes as number, reason: input.reason as string, requested_at: now.toISOString() };
      job.pendingExtension = request;
      return { eventData: { minutes: request.minutes, reason: request.reason }, historyDetails: { minutes: request.minutes, reason: request.reason }, keepTimers: true };
    }
    case 'grant_extension': {
      const minutes = job.pendingExtension?.minutes ?? 0;
      job.pendingExtension = null;
      // From the current deadline, even one already passed: the worker gets exactly the minutes agreed to.
      const base = job.deliveryDeadline ?? now;
      job.deliveryDeadline = new Date(base.getTime() + minutes * 60_000);
      const details = { minutes, previous_delivery_deadline: base.toISOString(), delivery_deadline: job.deliveryDeadline.toISOString() };
      return { eventData: details, historyDetails: details, timer: { kind: 'delivery_deadline', dueAt: job.deliveryDeadline } };
    }
    case 'decline_extension': {
      const minutes = job.pendingExtension?.minutes ?? 0;
      job.pendingExtension = null;
      return { eventData: { minutes }, historyDetails: { minutes }, keepTimers: true };
    }
  }
}

/**
 * The work item of a hosted job's revision: the hire's fields plus the
 * revision's number, the client's feedback and the latest deliverable.
 * Its version is the one this transition writes.
 */
function revisionWorkItem(job: Job, deliverables: Deliverable[], feedback: string): NewEvent {
  const latest = deliverables.reduce<Deliverable | undefined>((found, deliverable) => (found && found.version >= deliverable.version ? found : deliverable), undefined);
  const data: LlmWork = {
    job_id: job.id,
    service_id: job.serviceId,
    worker_agent_id: job.workerAgentId,
    title: job.title ?? null,
    input_data: job.inputData,
    revision: job.revisionCount,
    feedback,
    ...(latest ? { previous_deliverable: { version: latest.version, artifact_type: latest.artifactType, content: latest.content } } : {}),
  };
  return { type: 'llm_work_requested', aggregateId: job.id, aggregateVersion: job.version + 1, actor: { type: 'system', id: null }, data, subject: llmWorkSubject(job.id) };
}

/** The worker has the job's delivery window from now on (at start, and again after each revision request). */
function startDeliveryDeadline(job: Job, now: Date): { eventData: { delivery_deadline: string }; timer: { kind: TimerKind; dueAt: Date } } {
  job.deliveryDeadline = new Date(now.getTime() + job.deliveryWindowSeconds * 1000);
  return { eventData: { delivery_deadline: job.deliveryDeadline.toISOString() }, timer: { kind: 'delivery_deadline', dueAt: job.deliveryDeadline } };
}

/**
 * Most bytes (as JSON) all of a job's deliverables may hold together. A job
 * is read back whole, with every deliverable, in one bus reply under NATS's
 * 1 MiB max_payload; this keeps every job readable, inputs and history included.
 */
export const MAX_DELIVERABLE_BYTES_PER_JOB = 640 * 1024;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));

/** The next version after those the job has; appended to `deliverables`, so the reply shows it. */
function addDeliverable(job: Job, deliverables: Deliverable[], input: Input, now: Date): Deliverable {
  const held = deliverables.reduce((sum, earlier) => sum + jsonBytes(earlier.content) + jsonBytes(earlier.artifactMetadata), 0);
  const adding = jsonBytes(input.content) + jsonBytes(input.artifact_metadata);
  if (held + adding > MAX_DELIVERABLE_BYTES_PER_JOB) {
    throw new AppError('payload_too_large', `A job's deliverables may hold ${MAX_DELIVERABLE_BYTES_PER_JOB} bytes of JSON in all; this one would make ${held + adding}`, {
      held_bytes: held,
      delivery_bytes: adding,
      max_bytes: MAX_DELIVERABLE_BYTES_PER_JOB,
    });
  }
  const latest = Math.max(0, ...deliverables.map((deliverable) => deliverable.version));
  const deliverable: Deliverable = {
    id: uuidv7(),
    jobId: job.id,
    version: latest + 1,
    artifactType: input.artifact_type as string,
    content: input.content,
    artifactMetadata: (input.artifact_metadata as Record<string, unknown> | undefined) ?? {},
    createdAt: now,
  };
  deliverables.push(deliverable);
  return deliverable;
}
