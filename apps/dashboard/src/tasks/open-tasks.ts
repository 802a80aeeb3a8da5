import type { TaskView } from '../api/types.ts';
import type { FeedItem } from '../feed/feed-item.ts';

/** One open bidding task as the "Open tasks" panel shows it, whichever source it came from. */
export interface OpenTask {
  taskId: string;
  title: string;
  capabilities: string[];
  currency: string;
  budgetUsd: string | null;
  budgetSats: number | null;
  closesAt: string | null;
  /** Active bids; undefined when the viewer cannot know (bids are private to the poster and the bidders). */
  bidCount: number | undefined;
  /** The poster, when the source names it (public events do; the task list does not). */
  posterId: string | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** A task of `GET /api/tasks`: everything but its poster. */
export function openTaskOfView(task: TaskView): OpenTask {
  return {
    taskId: task.task_id,
    title: task.title,
    capabilities: task.capabilities_required,
    currency: task.currency,
    budgetUsd: task.budget_usd,
    budgetSats: task.budget_sats,
    closesAt: task.closes_at,
    bidCount: task.bid_count,
    posterId: undefined,
  };
}

function openTaskOfEvent(item: FeedItem, taskId: string): OpenTask {
  const { data } = item;
  return {
    taskId,
    title: text(data.title) ?? 'Untitled task',
    capabilities: Array.isArray(data.capabilities_required) ? data.capabilities_required.filter((value): value is string => typeof value === 'string') : [],
    currency: text(data.currency) ?? 'USD',
    budgetUsd: text(data.budget_usd) ?? null,
    budgetSats: typeof data.budget_sats === 'number' ? data.budget_sats : null,
    closesAt: text(data.closes_at) ?? null,
    bidCount: undefined,
    posterId: text(data.client_agent_id) ?? text(data.client_user_id),
  };
}

/** Events after which a task no longer takes bids, as far as the feed can tell. */
const CLOSING_TYPES = new Set(['task_expired', 'bid_accepted']);

/**
 * The open tasks an anonymous viewer can know of: those announced by
 * `task_posted` in the feed (newest first, as the feed holds them), less the
 * ones closed since (`task_expired`; `bid_accepted` too, when the viewer sees
 * it) or whose `closes_at` has passed. A task hired through an accepted bid is
 * only known closed at `closes_at` to a viewer who does not see that bid.
 */
export function openTasksFromFeed(items: readonly FeedItem[], now: number): OpenTask[] {
  const closed = new Set<string>();
  for (const item of items) {
    const taskId = text(item.data.task_id);
    if (taskId && CLOSING_TYPES.has(item.type)) closed.add(taskId);
  }
  const seen = new Set<string>();
  const open: OpenTask[] = [];
  for (const item of items) {
    const taskId = text(item.data.task_id);
    if (item.type !== 'task_posted' || !taskId || closed.has(taskId) || seen.has(taskId)) continue;
    seen.add(taskId);
    const task = openTaskOfEvent(item, taskId);
    if (task.closesAt && Date.parse(task.closesAt) <= now) continue;
    open.push(task);
  }
  return open;
}

/** Whether a task asks for `capability` (every task when it is empty). */
export function asksFor(task: OpenTask, capability: string): boolean {
  const wanted = capability.trim().toLowerCase();
  return !wanted || task.capabilities.some((name) => name.toLowerCase() === wanted);
}
