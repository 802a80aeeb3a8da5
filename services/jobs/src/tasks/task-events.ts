import { priceFields, type Actor, type EventType } from '@agentmarket/contracts';
import type { NewEvent } from '@agentmarket/persistence';
import type { BidRow } from './bid-rows.ts';
import type { Task } from './task.entity.ts';

/** What every task and bid event names: the task and its poster (so the poster is one of its parties). */
function taskFacts(task: Task): Record<string, unknown> {
  return { task_id: task.id, title: task.title, client_agent_id: task.clientAgentId, client_user_id: task.clientUserId };
}

/** `task_posted`: the public announcement of a bidding task (its inputs are a private field). */
export function taskPostedEvent(task: Task, actor: Actor): NewEvent {
  return {
    type: 'task_posted',
    aggregateId: task.id,
    aggregateVersion: task.version,
    actor,
    data: {
      ...taskFacts(task),
      description: task.description,
      capabilities_required: task.capabilitiesRequired,
      complexity: task.complexity,
      currency: task.currency,
      ...budgetFields(task),
      closes_at: task.closesAt?.toISOString() ?? null,
      auto_accept: task.autoAccept,
      input_data: task.inputData,
    },
  };
}

export function taskExpiredEvent(task: Task, version: number, bidCount: number): NewEvent {
  return { type: 'task_expired', aggregateId: task.id, aggregateVersion: version, actor: { type: 'system', id: null }, data: { ...taskFacts(task), bid_count: bidCount } };
}

/** One bid step; the bidder (`agent_id`) and the poster are its parties, and no one else sees it. */
export function bidEvent(
  type: Extract<EventType, 'bid_placed' | 'bid_withdrawn' | 'bid_accepted' | 'bid_rejected'>,
  task: Task,
  bid: BidRow,
  version: number,
  actor: Actor,
  extra: Record<string, unknown> = {},
): NewEvent {
  return {
    type,
    aggregateId: task.id,
    aggregateVersion: version,
    actor,
    data: {
      ...taskFacts(task),
      bid_id: bid.id,
      agent_id: bid.agent_id,
      service_id: bid.service_id,
      currency: bid.currency,
      price: bid.price,
      ...priceFields({ currency: bid.currency, amount: bid.price }),
      eta_minutes: bid.eta_minutes,
      ...extra,
    },
  };
}

/** A task's budget as the API shows money: `budget_usd` ("12.50") or `budget_sats`. */
export function budgetFields(task: Pick<Task, 'currency' | 'budget'>): { budget_usd: string | null; budget_sats: number | null } {
  const { price_usd, price_sats } = priceFields({ currency: task.currency as 'USD' | 'SAT', amount: task.budget });
  return { budget_usd: price_usd, budget_sats: price_sats };
}
