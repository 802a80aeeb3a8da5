import { formatMinor, formatUsd, humanize, shortId } from '../format.ts';
import type { FeedItem } from './feed-item.ts';

/** Finds an agent's name (or undefined while it is unknown). */
export type NameOf = (agentId: string) => string | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

function agentName(id: unknown, nameOf: NameOf): string {
  const agentId = text(id);
  return agentId ? (nameOf(agentId) ?? `agent ${shortId(agentId)}`) : 'someone';
}

function jobName(data: Record<string, unknown>): string {
  const title = text(data.title) ?? text(data.service_name);
  return title ? `“${title}”` : `job ${shortId(text(data.job_id))}`;
}

function price(data: Record<string, unknown>): string {
  const amount = num(data.amount);
  const currency = text(data.currency);
  return amount !== undefined && currency ? ` for ${formatMinor(currency, amount)}` : '';
}

function jobSentence(type: string, data: Record<string, unknown>, nameOf: NameOf): string | undefined {
  const job = jobName(data);
  const worker = agentName(data.worker_agent_id, nameOf);
  switch (type) {
    case 'job_created': {
      const client = text(data.client_user_id) ? 'a buyer' : agentName(data.client_agent_id, nameOf);
      const service = text(data.service_name) && text(data.title) ? ` (${text(data.service_name)})` : '';
      return `${client} hired ${worker}: ${job}${service}${price(data)}`;
    }
    case 'job_started':
      return `${worker} started ${job}`;
    case 'job_delivered': {
      const version = num(record(data.deliverable).version);
      return `${worker} delivered ${job}${version === undefined ? '' : ` (v${version})`}`;
    }
    case 'revision_requested':
      return `revision of ${job} requested from ${worker}`;
    case 'job_completed': {
      const rating = num(data.rating);
      if (data.auto === true) return `${job} by ${worker} completed automatically`;
      return `${job} by ${worker} completed${rating === undefined ? '' : `, rated ${rating}/5`}`;
    }
    case 'dispute_responded': {
      // The worker's note stays with the parties; the public sees the action and the share.
      const share = num(data.worker_share_pct);
      if (data.action === 'propose_split') return `${worker} proposed a split of ${job}${share === undefined ? '' : `: ${share} % to the worker`}`;
      return `${worker} contested the dispute over ${job}`;
    }
    case 'job_resolved': {
      const share = num(data.worker_share_pct);
      return `dispute over ${job} resolved${share === undefined ? '' : `: ${share} % to ${worker}`}`;
    }
    case 'job_failed':
      // The evaluator's `reject` fails the job; its reason stays with the parties, who it was is public.
      if (data.rejected_by === 'evaluator') return `${job} by ${worker} rejected by its evaluator`;
      return `${job} failed`;
    case 'job_cancelled':
    case 'job_expired':
    case 'job_disputed':
      return `${job} ${humanize(type.slice(4))}`;
    default:
      return undefined;
  }
}

function taskName(data: Record<string, unknown>): string {
  const title = text(data.title);
  return title ? `“${title}”` : `task ${shortId(text(data.task_id))}`;
}

/** Who posted a task: an agent by name, a person as "a buyer". */
function poster(data: Record<string, unknown>, nameOf: NameOf): string {
  return text(data.client_user_id) ? 'a buyer' : agentName(data.client_agent_id, nameOf);
}

function budget(data: Record<string, unknown>): string {
  const usd = text(data.budget_usd);
  if (usd) return ` (budget ${formatUsd(usd)})`;
  const sats = num(data.budget_sats);
  return sats === undefined ? '' : ` (budget ${formatMinor('SAT', sats)})`;
}

// Bid events carry `price` in minor units of `currency`, like the escrow events' `amount`.
function bidPrice(data: Record<string, unknown>): string {
  const amount = num(data.price);
  const currency = text(data.currency);
  return amount !== undefined && currency ? formatMinor(currency, amount) : 'a price';
}

function taskSentence(type: string, data: Record<string, unknown>, nameOf: NameOf): string | undefined {
  const task = taskName(data);
  const bidder = agentName(data.agent_id, nameOf);
  switch (type) {
    case 'task_posted':
      return `${poster(data, nameOf)} opened ${task} for bids${budget(data)}`;
    case 'task_expired': {
      const bids = num(data.bid_count);
      return `${task} closed without a hire${bids === undefined ? '' : ` (${bids} bid${bids === 1 ? '' : 's'})`}`;
    }
    case 'bid_placed':
      return `${bidder} bid ${bidPrice(data)} on ${task}`;
    case 'bid_withdrawn':
      return `${bidder} withdrew its bid on ${task}`;
    case 'bid_accepted':
      return `${bidder}’s bid of ${bidPrice(data)} on ${task} accepted`;
    case 'bid_rejected':
      return `${bidder}’s bid on ${task} not taken`;
    default:
      return undefined;
  }
}

function moneySentence(type: string, data: Record<string, unknown>): string | undefined {
  const currency = text(data.currency) ?? 'USD';
  const amount = (value: unknown) => formatMinor(currency, num(value) ?? 0);
  const job = `job ${shortId(text(data.job_id))}`;
  if (type === 'escrow_held') return `${amount(data.amount)} held in escrow for ${job}`;
  if (type === 'escrow_released') return `${amount(data.worker_amount)} paid out for ${job} (fee ${amount(data.fee_amount)})`;
  if (type === 'escrow_refunded') return `${amount(data.client_amount)} refunded for ${job}`;
  if (type === 'escrow_split') return `${job} split: ${amount(data.worker_amount)} to the worker, ${amount(data.client_amount)} back`;
  if (type === 'wallet_credited') return `wallet credited with ${amount(data.amount)}`;
  return undefined;
}

function agentSentence(type: string, data: Record<string, unknown>, aggregateId: string, nameOf: NameOf): string | undefined {
  const agent = record(data.agent);
  const name = text(agent.name) ?? agentName(aggregateId, nameOf);
  if (type === 'agent_registered') return `${name} joined the market`;
  if (type === 'agent_key_rotated') return `${name} rotated its API key`;
  if (type !== 'agent_updated') return undefined;
  const changes = record(data.changes);
  if (text(changes.status)) return `${name} is now ${text(changes.status)}`;
  if (text(changes.reputation_score)) return `${name}: reputation ${text(changes.reputation_score)}`;
  const fields = Object.keys(changes);
  return `${name} updated ${fields.length > 0 ? fields.map(humanize).join(', ') : 'its profile'}`;
}

/** One line that says what happened, from what the viewer may see of the event. */
export function eventSummary(item: FeedItem, nameOf: NameOf): string {
  const { type, data } = item;
  const service = record(data.service);
  if (type.startsWith('service_')) return `${text(service.name) ? `“${text(service.name)}”` : 'a service'} ${humanize(type.slice(8))}`;
  if (type === 'reputation_updated') {
    const done = num(data.jobs_completed);
    return `${agentName(data.agent_id ?? item.aggregateId, nameOf)}: reputation ${text(data.reputation_score) ?? '–'}${done === undefined ? '' : `, ${done} job${done === 1 ? '' : 's'} done`}`;
  }
  if (type === 'message_sent') return `message about job ${shortId(text(data.job_id))}`;
  return jobSentence(type, data, nameOf) ?? taskSentence(type, data, nameOf) ?? moneySentence(type, data) ?? agentSentence(type, data, item.aggregateId, nameOf) ?? humanize(type);
}
