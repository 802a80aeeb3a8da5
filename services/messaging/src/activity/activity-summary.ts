import { centsToUsd, eventDefinition, type EventEnvelope } from '@agentmarket/contracts';
import { jobLabel, jobLabelCapitalized } from '../job-events/job-label.ts';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

function price(data: Record<string, unknown>): string | undefined {
  const amount = number(data.amount);
  if (amount === undefined) return undefined;
  return data.currency === 'SAT' ? `${amount} sats` : `${centsToUsd(amount)} USD`;
}

function jobSentence(type: string, data: Record<string, unknown>, jobId: string): string | undefined {
  const job = { job_id: text(data.job_id) ?? jobId, title: text(data.title) ?? null };
  const label = jobLabel(job);
  const Label = jobLabelCapitalized(job);
  switch (type) {
    case 'job_created': {
      const amount = price(data);
      return `A client hired a worker for ${label}${amount ? ` (${amount})` : ''}.`;
    }
    case 'job_started':
      return `Work started on ${label}.`;
    case 'job_delivered': {
      const version = number(record(data.deliverable).version);
      return `${Label} was delivered${version === undefined ? '' : ` (version ${version})`}.`;
    }
    case 'revision_requested':
      return `A revision of ${label} was requested.`;
    case 'job_completed': {
      if (data.auto === true) return `${Label} was completed automatically after the review window.`;
      const rating = number(data.rating);
      return `${Label} was completed${rating === undefined ? '' : ` with a ${rating}/5 rating`}.`;
    }
    case 'job_cancelled':
      return `${Label} was cancelled.`;
    case 'job_failed':
      return `${Label} failed.`;
    case 'job_expired':
      return `${Label} expired before the worker started it.`;
    case 'job_disputed':
      return `The delivery of ${label} was disputed.`;
    case 'job_resolved': {
      const share = number(data.worker_share_pct);
      if (data.resolution === 'refund_accepted') return `The worker of ${label} accepted a full refund of the disputed job.`;
      if (data.resolution === 'proposal_accepted') return `The client of ${label} accepted the worker's split: ${share ?? 0}% to the worker.`;
      if (data.resolution === 'response_window_passed') return `The dispute over ${label} was resolved by refund: the worker did not answer in time.`;
      return `The dispute over ${label} was resolved${share === undefined ? '' : `: ${share}% to the worker`}.`;
    }
    case 'dispute_responded':
      return data.action === 'propose_split'
        ? `The worker of ${label} proposed a split of the disputed job: ${number(data.worker_share_pct) ?? 0}% to the worker.`
        : `The worker of ${label} contested the dispute; an admin will decide.`;
    case 'job_deadline_passed':
      return `${Label} passed its delivery deadline undelivered.`;
    case 'client_rated': {
      const rating = number(data.rating);
      return `The worker of ${label} rated its client${rating === undefined ? '' : ` ${rating}/5`}.`;
    }
    case 'extension_requested':
      return `The worker of ${label} asked for ${number(data.minutes) ?? 'more'} more minutes.`;
    case 'extension_granted':
      return `The client of ${label} granted ${number(data.minutes) ?? 'more'} more minutes to deliver.`;
    case 'extension_declined':
      return `The client of ${label} declined a deadline extension.`;
    case 'job_tipped': {
      const tip = price({ amount: data.tip_amount, currency: data.currency });
      return `The client of ${label} tipped its worker${tip ? ` ${tip}` : ''}.`;
    }
    default:
      return undefined;
  }
}

function agentSentence(type: string, data: Record<string, unknown>, agentId: string): string | undefined {
  const agent = record(data.agent);
  const name = text(agent.name) ?? text(data.name);
  const label = name ? `Agent "${name}"` : `Agent ${agentId}`;
  if (type === 'agent_registered') return `${label} joined the market.`;
  if (type !== 'agent_updated') return undefined;
  const changes = record(data.changes);
  const status = text(changes.status);
  if (status) return `${label} is now ${status}.`;
  const fields = Object.keys(changes);
  return fields.length > 0 ? `${label} updated its ${fields.join(' and ')}.` : `${label} updated its profile.`;
}

function serviceSentence(type: string, data: Record<string, unknown>, serviceId: string): string | undefined {
  const service = record(data.service);
  const name = text(service.name) ?? text(data.name);
  const label = name ? `Service "${name}"` : `Service ${serviceId}`;
  if (type === 'service_created') return `${label} was published.`;
  if (type === 'service_updated') return `${label} was updated.`;
  if (type === 'service_deactivated') return `${label} was deactivated.`;
  return undefined;
}

function taskSentence(type: string, data: Record<string, unknown>): string | undefined {
  const title = text(data.title);
  const label = title ? `Task "${title}"` : 'A task';
  if (type === 'task_posted') {
    const budget = text(data.budget_usd) ? `${text(data.budget_usd)} USD` : number(data.budget_sats) !== undefined ? `${number(data.budget_sats)} sats` : undefined;
    return `${label} is open for bids${budget ? ` (budget ${budget})` : ''}.`;
  }
  if (type === 'task_expired') return `${label} closed without a hire.`;
  return undefined;
}

/**
 * The one-line summary of a public event for the activity log. It is built
 * from what the public may see, so give it the public view of the event.
 */
export function activitySummary(envelope: EventEnvelope): string {
  const aggregate = eventDefinition(envelope.type)?.aggregate;
  const sentence =
    aggregate === 'job'
      ? jobSentence(envelope.type, envelope.data, envelope.aggregate_id)
      : aggregate === 'agent'
        ? agentSentence(envelope.type, envelope.data, envelope.aggregate_id)
        : aggregate === 'service'
          ? serviceSentence(envelope.type, envelope.data, envelope.aggregate_id)
          : aggregate === 'task'
            ? taskSentence(envelope.type, envelope.data)
            : undefined;
  // A public type added later still gets a readable line until it has its own sentence.
  return sentence ?? `${envelope.type.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase())} (${envelope.aggregate_id}).`;
}
