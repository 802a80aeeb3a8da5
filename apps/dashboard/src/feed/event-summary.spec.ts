import { describe, expect, it } from 'vitest';
import { eventSummary } from './event-summary.ts';
import type { FeedItem } from './feed-item.ts';

const names = new Map([
  ['11111111-0000-7000-8000-00000000c11e', 'Quill'],
  ['11111111-0000-7000-8000-0000000a0b0c', 'Wren'],
]);
const nameOf = (id: string) => names.get(id);

function event(type: string, data: Record<string, unknown>): FeedItem {
  return { id: 'e', seq: 1, type, occurredAt: '2026-01-01T00:00:00Z', actor: { type: 'system', id: null }, aggregateId: 'x', data };
}

const job = {
  job_id: '01a1fd27-ee87-7719-be74-5c5fad8f5f70',
  title: 'Sea haiku',
  service_name: 'Haiku',
  client_agent_id: '11111111-0000-7000-8000-00000000c11e',
  worker_agent_id: '11111111-0000-7000-8000-0000000a0b0c',
  currency: 'USD',
  amount: 250,
};

describe('eventSummary', () => {
  it('tells who hired whom, for what and how much', () => {
    expect(eventSummary(event('job_created', job), nameOf)).toBe('Quill hired Wren: “Sea haiku” (Haiku) for $2.50');
    expect(eventSummary(event('job_created', { ...job, client_agent_id: null, client_user_id: 'u', currency: 'SAT', amount: 25000 }), nameOf)).toBe(
      'a buyer hired Wren: “Sea haiku” (Haiku) for 25,000 sats',
    );
  });

  it('describes transitions, ratings and versions', () => {
    expect(eventSummary(event('job_delivered', { ...job, deliverable: { version: 2 } }), nameOf)).toBe('Wren delivered “Sea haiku” (v2)');
    expect(eventSummary(event('job_completed', { ...job, rating: 5 }), nameOf)).toBe('“Sea haiku” by Wren completed, rated 5/5');
    expect(eventSummary(event('job_expired', { ...job, title: null }), nameOf)).toBe('“Haiku” expired');
  });

  it('says when the evaluator rejected the delivery, and a plain failure otherwise', () => {
    expect(eventSummary(event('job_failed', { ...job, rejected_by: 'evaluator', reason: 'not a haiku' }), nameOf)).toBe('“Sea haiku” by Wren rejected by its evaluator');
    expect(eventSummary(event('job_failed', { ...job, reason: 'model down' }), nameOf)).toBe('“Sea haiku” failed');
  });

  it('falls back to a short id while a name is unknown', () => {
    expect(eventSummary(event('reputation_updated', { agent_id: '01a1fd27-d596-7033-8ca2-176debb01b81', reputation_score: '3.38', jobs_completed: 1 }), nameOf)).toBe(
      'agent ebb01b81: reputation 3.38, 1 job done',
    );
  });

  it('reads private money events in their currency', () => {
    expect(eventSummary(event('escrow_released', { job_id: job.job_id, currency: 'USD', worker_amount: 244, fee_amount: 6 }), nameOf)).toBe(
      '$2.44 paid out for job ad8f5f70 (fee $0.06)',
    );
  });

  it('follows a bidding task: posted, bid on, accepted or closed', () => {
    const task = { task_id: '01a1fd27-ee87-7719-be74-5c5fad8f7a5c', title: 'Moon sonnet', client_agent_id: '11111111-0000-7000-8000-00000000c11e', client_user_id: null };
    const bid = { ...task, bid_id: 'b', agent_id: '11111111-0000-7000-8000-0000000a0b0c', service_id: 's', currency: 'USD', price: 240 };
    expect(eventSummary(event('task_posted', { ...task, budget_usd: '30.00', budget_sats: null }), nameOf)).toBe('Quill opened “Moon sonnet” for bids (budget $30.00)');
    expect(eventSummary(event('task_posted', { ...task, client_agent_id: null, client_user_id: 'u', budget_usd: null, budget_sats: 5000 }), nameOf)).toBe(
      'a buyer opened “Moon sonnet” for bids (budget 5,000 sats)',
    );
    expect(eventSummary(event('bid_placed', bid), nameOf)).toBe('Wren bid $2.40 on “Moon sonnet”');
    expect(eventSummary(event('bid_withdrawn', bid), nameOf)).toBe('Wren withdrew its bid on “Moon sonnet”');
    expect(eventSummary(event('bid_accepted', { ...bid, job_id: job.job_id }), nameOf)).toBe('Wren’s bid of $2.40 on “Moon sonnet” accepted');
    expect(eventSummary(event('bid_rejected', bid), nameOf)).toBe('Wren’s bid on “Moon sonnet” not taken');
    expect(eventSummary(event('task_expired', { ...task, bid_count: 1 }), nameOf)).toBe('“Moon sonnet” closed without a hire (1 bid)');
    expect(eventSummary(event('task_expired', { task_id: task.task_id, bid_count: 0 }), nameOf)).toBe('task ad8f7a5c closed without a hire (0 bids)');
  });

  it('tells how the worker answered a dispute', () => {
    expect(eventSummary(event('dispute_responded', { ...job, action: 'propose_split', worker_share_pct: 60 }), nameOf)).toBe(
      'Wren proposed a split of “Sea haiku”: 60 % to the worker',
    );
    expect(eventSummary(event('dispute_responded', { ...job, action: 'contest', worker_share_pct: null }), nameOf)).toBe('Wren contested the dispute over “Sea haiku”');
  });
});
