import { centsToUsd, type JobEventData } from '@agentmarket/contracts';
import type { MessageContent } from '../messages/message.entity.ts';
import type { JobTransitionType } from '../job-events/job-event-types.ts';
import { jobLabel, jobLabelCapitalized } from '../job-events/job-label.ts';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** Drops absent fields, so the content carries only what the event said. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** A tip's amount as people read it ("1.50 USD", "500 sats"); the fee is in the message's fields. */
function tipAmount(data: JobEventData): string | undefined {
  const amount = number(data.tip_amount);
  if (amount === undefined) return undefined;
  return data.currency === 'SAT' ? `${amount} sats` : `${centsToUsd(amount)} USD`;
}

/** The sentence an inbox shows for one job transition, written for the party who receives it. */
export function notificationSentence(type: JobTransitionType, data: JobEventData): string {
  const label = jobLabel(data);
  const Label = jobLabelCapitalized(data);
  switch (type) {
    case 'job_created':
      return `You were hired for ${label}: start it, or it expires when the accept window passes.`;
    case 'job_started':
      return `Work has started on ${label}.`;
    case 'job_delivered': {
      const version = number(record(data.deliverable).version);
      return `${Label} was delivered${version === undefined ? '' : ` (version ${version})`}: complete it, or request a revision.`;
    }
    case 'revision_requested':
      return `A revision of ${label} was requested: deliver it again.`;
    case 'job_completed':
      return data.auto === true
        ? `${Label} was completed automatically: the review window passed without an answer.`
        : `${Label} was completed${number(data.rating) === undefined ? '' : ` and rated ${number(data.rating)}/5`}.`;
    case 'job_cancelled':
      return `${Label} was cancelled.`;
    case 'job_failed':
      return data.rejected_by === 'evaluator'
        ? `${Label} was rejected by its evaluator${text(data.reason) ? `: ${text(data.reason)}` : ''}; the client is refunded.`
        : `${Label} failed: the worker could not finish it.`;
    case 'job_expired':
      return `${Label} expired: the worker did not start it within the accept window.`;
    case 'job_disputed':
      return `The delivery of ${label} was disputed.`;
    case 'job_resolved': {
      const share = number(data.worker_share_pct);
      switch (data.resolution) {
        case 'refund_accepted':
          return `The worker of ${label} accepted a full refund: the dispute is resolved and the price returns to the client.`;
        case 'proposal_accepted':
          return `The client of ${label} accepted the proposed split: the worker receives ${share ?? 0}% of the price.`;
        case 'response_window_passed':
          return `The worker of ${label} did not answer the dispute within the response window: the client is refunded in full.`;
        default:
          return `The dispute over ${label} was resolved${share === undefined ? '' : `: the worker receives ${share}% of the price`}.`;
      }
    }
    case 'job_deadline_passed':
      return `${Label} passed its delivery deadline without a delivery: you may cancel it now for a full refund, or keep waiting.`;
    case 'client_rated':
      return `The worker of ${label} rated you as a client${number(data.rating) === undefined ? '' : `: ${number(data.rating)}/5`}.`;
    case 'extension_requested':
      return `The worker of ${label} asks for ${number(data.minutes) ?? 'more'} more minutes to deliver: grant or decline the extension.`;
    case 'extension_granted':
      return `Your extension on ${label} was granted: the new delivery deadline is ${text(data.delivery_deadline) ?? 'later'}.`;
    case 'extension_declined':
      return `Your extension on ${label} was declined: the delivery deadline stays.`;
    case 'dispute_responded':
      return data.action === 'propose_split'
        ? `The worker of ${label} answered your dispute with a split: ${number(data.worker_share_pct) ?? 0}% to the worker. Accept the proposal, or wait for an admin.`
        : `The worker of ${label} contested your dispute: an admin will decide.`;
    case 'job_tipped':
      return `The client of ${label} tipped you ${tipAmount(data) ?? ''}`.trimEnd() + '.';
  }
}

/** The fields of one transition that a recipient acts on (never inputs or deliverable content). */
function specificFields(type: JobTransitionType, data: JobEventData): Record<string, unknown> {
  switch (type) {
    case 'job_created':
      return { service_id: data.service_id, currency: data.currency, amount: data.amount };
    case 'job_delivered': {
      const deliverable = record(data.deliverable);
      return { deliverable_id: text(deliverable.id), deliverable_version: number(deliverable.version), artifact_type: text(deliverable.artifact_type) };
    }
    case 'revision_requested':
      return { feedback: text(data.feedback), revision_count: data.revision_count };
    case 'job_completed':
      return { rating: number(data.rating), review: text(data.review), auto: data.auto === true };
    case 'job_cancelled':
    case 'job_failed':
    case 'job_disputed':
      return { reason: text(data.reason) };
    case 'job_resolved':
      return { worker_share_pct: number(data.worker_share_pct), note: text(data.note), resolution: text(data.resolution) };
    case 'dispute_responded':
      return { action: text(data.action), worker_share_pct: number(data.worker_share_pct), note: text(data.note) };
    case 'job_deadline_passed':
      return { delivery_deadline: text(data.delivery_deadline) };
    case 'client_rated':
      return { rating: number(data.rating), review: text(data.review) };
    case 'extension_requested':
      return { minutes: number(data.minutes), reason: text(data.reason) };
    case 'extension_granted':
      return { minutes: number(data.minutes), delivery_deadline: text(data.delivery_deadline) };
    case 'extension_declined':
      return { minutes: number(data.minutes) };
    case 'job_tipped':
      return { tip_id: text(data.tip_id), currency: data.currency, tip_amount: number(data.tip_amount), tip_fee_amount: number(data.tip_fee_amount) };
    case 'job_started':
    case 'job_expired':
      return {};
  }
}

/** The `content` of the automatic message for one job transition. */
export function notificationContent(type: JobTransitionType, data: JobEventData): MessageContent {
  return {
    message: notificationSentence(type, data),
    ...defined({ job_id: data.job_id, title: data.title, status: data.status, ...specificFields(type, data) }),
  };
}
