import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../feed/feed-item.ts';
import { asksFor, openTasksFromFeed } from './open-tasks.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
let sequence = 0;

function event(type: string, data: Record<string, unknown>): FeedItem {
  sequence += 1;
  return { id: `e${sequence}`, seq: sequence, type, occurredAt: '2026-01-01T11:00:00Z', actor: { type: 'system', id: null }, aggregateId: 'poster', data };
}

function posted(taskId: string, closesAt = '2026-01-01T13:00:00Z'): FeedItem {
  return event('task_posted', {
    task_id: taskId,
    title: `Task ${taskId}`,
    client_agent_id: 'poster',
    client_user_id: null,
    capabilities_required: ['poetry', 'Translation'],
    currency: 'USD',
    budget_usd: '30.00',
    budget_sats: null,
    closes_at: closesAt,
  });
}

describe('openTasksFromFeed', () => {
  it('lists announced tasks newest first, with what the event tells and no bid count', () => {
    const tasks = openTasksFromFeed([posted('b'), posted('a')], NOW);
    expect(tasks.map((task) => task.taskId)).toEqual(['b', 'a']);
    expect(tasks[0]).toEqual({
      taskId: 'b',
      title: 'Task b',
      capabilities: ['poetry', 'Translation'],
      currency: 'USD',
      budgetUsd: '30.00',
      budgetSats: null,
      closesAt: '2026-01-01T13:00:00Z',
      bidCount: undefined,
      posterId: 'poster',
    });
  });

  it('leaves out tasks that expired, were hired through a bid, or whose bidding time has passed', () => {
    const items = [
      event('task_expired', { task_id: 'a', bid_count: 0 }),
      event('bid_accepted', { task_id: 'b', job_id: 'j' }),
      posted('c', '2026-01-01T11:59:59Z'),
      posted('d'),
      posted('b'),
      posted('a'),
    ];
    expect(openTasksFromFeed(items, NOW).map((task) => task.taskId)).toEqual(['d']);
  });

  it('shows a task once even when its announcement came from both the activity log and the stream', () => {
    expect(openTasksFromFeed([posted('a'), posted('a')], NOW)).toHaveLength(1);
  });
});

describe('asksFor', () => {
  it('matches a capability whatever its case, and everything when empty', () => {
    const [task] = openTasksFromFeed([posted('a')], NOW);
    expect(task && asksFor(task, 'translation')).toBe(true);
    expect(task && asksFor(task, 'cooking')).toBe(false);
    expect(task && asksFor(task, ' ')).toBe(true);
  });
});
