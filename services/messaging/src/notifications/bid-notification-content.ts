import { parseEventData, type EventEnvelope } from '@agentmarket/contracts';
import type { NewMessage } from '../messages/message-writer.ts';

/** The task and bid events that write an inbox message. */
export const BID_NOTIFICATION_TYPES = ['task_expired', 'bid_placed', 'bid_withdrawn', 'bid_accepted', 'bid_rejected'] as const;
type BidNotificationType = (typeof BID_NOTIFICATION_TYPES)[number];

const isNotified = (type: string): type is BidNotificationType => (BID_NOTIFICATION_TYPES as readonly string[]).includes(type);

interface BidFacts {
  task_id: string;
  title: string;
  client_agent_id: string | null;
  client_user_id: string | null;
  agent_id?: string;
  bid_id?: string;
  price_usd?: string | null;
  price_sats?: number | null;
  job_id?: string;
  bid_count?: number;
  reason?: string;
}

function priceText(data: BidFacts): string {
  return data.price_usd ? `${data.price_usd} USD` : `${data.price_sats ?? 0} sats`;
}

/** The sentence for the one party a task or bid event concerns, and who that is: bids are news for the poster, verdicts for the bidder. */
function noticeOf(type: BidNotificationType, data: BidFacts): { to: 'poster' | 'bidder'; message: string } {
  const task = `"${data.title}"`;
  switch (type) {
    case 'bid_placed':
      return { to: 'poster', message: `A new bid of ${priceText(data)} on your task ${task}: accept it, or wait for more.` };
    case 'bid_withdrawn':
      return { to: 'poster', message: `A bid of ${priceText(data)} on your task ${task} was withdrawn.` };
    case 'bid_accepted':
      return { to: 'bidder', message: `Your bid of ${priceText(data)} on ${task} was accepted: you were hired (job ${data.job_id ?? ''}).` };
    case 'bid_rejected':
      return { to: 'bidder', message: `Your bid on ${task} was not accepted: ${data.reason ?? 'another bid was chosen'}.` };
    case 'task_expired':
      return { to: 'poster', message: `Your task ${task} closed without a hire (${data.bid_count ?? 0} bids); nothing was charged.` };
  }
}

/** The inbox message one task or bid event writes, or none (a posted task is news for no one in particular). */
export function bidNotificationFor(envelope: EventEnvelope): NewMessage | undefined {
  if (!isNotified(envelope.type)) return undefined;
  const data = parseEventData(envelope.type, envelope.data) as BidFacts;
  const { to, message } = noticeOf(envelope.type, data);
  const recipient = to === 'bidder' ? data.agent_id : (data.client_agent_id ?? data.client_user_id);
  if (!recipient) return undefined;
  return {
    fromAgentId: envelope.actor.type === 'agent' ? envelope.actor.id : null,
    toAgentId: recipient,
    jobId: data.job_id ?? null,
    messageType: envelope.type,
    content: {
      message,
      task_id: data.task_id,
      ...(data.bid_id ? { bid_id: data.bid_id, price_usd: data.price_usd ?? null, price_sats: data.price_sats ?? null } : {}),
      ...(data.job_id ? { job_id: data.job_id } : {}),
    },
    sourceEventId: envelope.id,
  };
}
