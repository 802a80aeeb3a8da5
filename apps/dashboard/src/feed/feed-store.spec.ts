import { describe, expect, it } from 'vitest';
import type { FeedItem } from './feed-item.ts';
import { FeedStore } from './feed-store.ts';

function item(seq: number, overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: `event-${seq}`,
    seq,
    type: 'job_created',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    actor: { type: 'agent', id: 'a' },
    aggregateId: 'job',
    data: {},
    ...overrides,
  };
}

const seqs = (store: FeedStore) => store.items().map((shown) => shown.seq);

describe('FeedStore', () => {
  it('shows each event once, newest first, whatever the order and the source', () => {
    const store = new FeedStore();
    expect(store.add(item(2))).toBe(true);
    expect(store.add(item(1))).toBe(true);
    expect(store.add(item(3))).toBe(true);
    // The same event again (a replay, or the activity log's copy without a position) is ignored.
    expect(store.add(item(2))).toBe(false);
    expect(store.add(item(3, { seq: undefined }))).toBe(false);
    expect(seqs(store)).toEqual([3, 2, 1]);
  });

  it('orders events of the same instant by stream position', () => {
    const store = new FeedStore();
    const at = '2026-01-01T00:00:00.000Z';
    store.add(item(5, { occurredAt: at }));
    store.add(item(7, { occurredAt: at }));
    store.add(item(6, { occurredAt: at }));
    expect(seqs(store)).toEqual([7, 6, 5]);
  });

  it('keeps at most `limit` events, dropping the oldest', () => {
    const store = new FeedStore(3);
    for (let seq = 1; seq <= 5; seq += 1) store.add(item(seq));
    expect(seqs(store)).toEqual([5, 4, 3]);
  });

  it('buffers while paused and shows everything on resume; arrival listeners hear events at once', () => {
    const store = new FeedStore();
    const heard: number[] = [];
    store.onArrival((arrived) => heard.push(arrived.seq ?? 0));
    store.add(item(1));
    store.pause();
    store.add(item(2));
    store.add(item(3));
    store.add(item(2));
    expect(seqs(store)).toEqual([1]);
    expect(store.pendingCount()).toBe(2);
    expect(heard).toEqual([1, 2, 3]);
    store.resume();
    expect(seqs(store)).toEqual([3, 2, 1]);
    expect(store.pendingCount()).toBe(0);
  });

  it('hands views a new array after every change and notifies subscribers', () => {
    const store = new FeedStore();
    let notified = 0;
    store.subscribe(() => (notified += 1));
    const before = store.items();
    store.add(item(1));
    expect(store.items()).not.toBe(before);
    store.pause();
    store.resume();
    expect(notified).toBe(3);
  });

  it('still recognises an event long after it left the visible list', () => {
    const store = new FeedStore(2);
    for (let seq = 1; seq <= 10; seq += 1) store.add(item(seq));
    expect(store.add(item(1))).toBe(false);
    expect(seqs(store)).toEqual([10, 9]);
  });
});
