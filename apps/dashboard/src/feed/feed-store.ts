import type { FeedItem } from './feed-item.ts';

type Listener = () => void;

/** Newest first: by time, then by stream position (the activity log's entries have none). */
function newerFirst(a: FeedItem, b: FeedItem): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? 1 : -1;
  return (b.seq ?? 0) - (a.seq ?? 0);
}

function insertSorted(list: FeedItem[], item: FeedItem): void {
  let index = list.findIndex((other) => newerFirst(item, other) < 0);
  if (index < 0) index = list.length;
  list.splice(index, 0, item);
}

/**
 * The feed's events: deduplicated by envelope id (a replay after a reconnect,
 * or the activity log overlapping the stream, shows each event once), newest
 * first, at most `limit` shown. While paused, arrivals wait in a buffer and
 * appear on resume; nothing the list could show is dropped.
 */
export class FeedStore {
  private readonly limit: number;
  private visible: FeedItem[] = [];
  private buffered: FeedItem[] = [];
  private bufferedTotal = 0;
  private paused = false;
  /** Ids seen recently, oldest first; kept well beyond `limit` so late replays are still recognised. */
  private readonly seen = new Set<string>();
  private readonly seenLimit: number;
  private readonly listeners = new Set<Listener>();
  private readonly arrivalListeners = new Set<(item: FeedItem) => void>();

  constructor(limit = 200) {
    this.limit = limit;
    this.seenLimit = limit * 20;
  }

  /** Adds one event; false when it was seen before. Arrival listeners hear it even while paused. */
  add(item: FeedItem): boolean {
    if (this.seen.has(item.id)) return false;
    this.remember(item.id);
    if (this.paused) {
      insertSorted(this.buffered, item);
      if (this.buffered.length > this.limit) this.buffered.length = this.limit;
      this.bufferedTotal += 1;
    } else {
      this.visible = this.withItems([item]);
    }
    for (const listener of this.arrivalListeners) listener(item);
    this.notify();
    return true;
  }

  /** The events shown, newest first (a new array after every change). */
  items(): readonly FeedItem[] {
    return this.visible;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** How many events arrived since the feed was paused. */
  pendingCount(): number {
    return this.bufferedTotal;
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.notify();
  }

  /** Shows what arrived while paused, merged in order. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.visible = this.withItems(this.buffered);
    this.buffered = [];
    this.bufferedTotal = 0;
    this.notify();
  }

  /** Called whenever what the feed shows (or its paused state) changes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once for every new event, paused or not: what the counters, graph and "my" panels follow. */
  onArrival(listener: (item: FeedItem) => void): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  /** A new list (views compare by reference) with `items` merged in, cut to `limit`. */
  private withItems(items: readonly FeedItem[]): FeedItem[] {
    const next = [...this.visible];
    for (const item of items) insertSorted(next, item);
    if (next.length > this.limit) next.length = this.limit;
    return next;
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > this.seenLimit) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
