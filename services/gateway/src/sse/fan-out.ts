import { EventBatch } from './event-batch.ts';
import type { SseClient } from './sse-client.ts';
import type { StreamedEvent } from './streamed-event.ts';

/** How long one slice of a sweep writes before the event loop runs again (new events arrive, requests are served). */
const DEFAULT_SLICE_MS = 4;
/** Clients written between two looks at the clock. */
const DEFAULT_CLOCK_EVERY = 32;

/** A client and the sequence of the last live event offered to it. */
interface Cursor {
  readonly client: SseClient;
  offeredThrough: number;
  removed: boolean;
}

/**
 * Hands live events to every connected SSE client by sweeping over them in
 * slices, one write per client per sweep for everything it has not been
 * offered yet.
 *
 * With a crowd, writing to every client is the slow part (a system call
 * each). Had a batch of events to go to every client before the next batch
 * began, an event arriving during a fan-out would wait for that fan-out to
 * end and then for its own: up to two fan-outs. Here the sweep under way
 * takes it to the clients it has not reached yet, and the next sweep, which
 * begins at once, to those it had passed: every event reaches every client
 * within one sweep of its arrival, for the same number of writes.
 *
 * Between slices the event loop runs, so new events join the sweep under
 * way and other requests are not held up by a long fan-out.
 */
export class FanOut {
  private readonly cursors = new Map<SseClient, Cursor>();
  private readonly sliceMs: number;
  private readonly clockEvery: number;
  /** Live events some client may still lack, in sequence order. */
  private retained: StreamedEvent[] = [];
  private lastSeq = 0;
  private sweep: { order: Cursor[]; next: number; startSeq: number } | undefined;
  private nextSlice: NodeJS.Immediate | undefined;
  /** The batch of events after a sequence, up to lastSeq: shared by every client offered through that sequence. */
  private batches = new Map<number, EventBatch>();

  constructor(options: { sliceMs?: number; clockEvery?: number } = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.clockEvery = Math.max(1, options.clockEvery ?? DEFAULT_CLOCK_EVERY);
  }

  /** New live events, in sequence order: the sweep under way carries them on, or one begins now. */
  publish(events: readonly StreamedEvent[]): void {
    const last = events.at(-1);
    if (!last) return;
    this.retained.push(...events);
    this.lastSeq = last.seq;
    this.batches.clear();
    if (!this.sweep) {
      this.beginSweep();
      this.runSlice();
    }
  }

  /** A client receives the live events published after this call. */
  add(client: SseClient): void {
    this.cursors.set(client, { client, offeredThrough: this.lastSeq, removed: false });
  }

  remove(client: SseClient): void {
    const cursor = this.cursors.get(client);
    if (!cursor) return;
    cursor.removed = true;
    this.cursors.delete(client);
  }

  get size(): number {
    return this.cursors.size;
  }

  /** The clients, for those who end them all. */
  clients(): SseClient[] {
    return [...this.cursors.keys()];
  }

  /** Stops sweeping (the clients are the caller's to close). */
  stop(): void {
    if (this.nextSlice) clearImmediate(this.nextSlice);
    this.nextSlice = undefined;
    this.sweep = undefined;
  }

  private beginSweep(): void {
    this.sweep = { order: [...this.cursors.values()], next: 0, startSeq: this.lastSeq };
  }

  private readonly runSlice = (): void => {
    this.nextSlice = undefined;
    const sweep = this.sweep;
    if (!sweep) return;
    const deadline = performance.now() + this.sliceMs;
    while (sweep.next < sweep.order.length) {
      const cursor = sweep.order[sweep.next] as Cursor;
      sweep.next += 1;
      this.catchUp(cursor);
      if (sweep.next % this.clockEvery === 0 && sweep.next < sweep.order.length && performance.now() >= deadline) {
        this.nextSlice = setImmediate(this.runSlice);
        return;
      }
    }
    this.endSweep(sweep.startSeq);
  };

  private endSweep(startSeq: number): void {
    // Every client has now been offered everything up to where the sweep began: clients of the sweep when it
    // passed them, clients added since when they were added.
    const firstKept = this.retained.findIndex((event) => event.seq > startSeq);
    this.retained = firstKept < 0 ? [] : this.retained.slice(firstKept);
    this.sweep = undefined;
    // Events that came during the sweep have not reached the clients it passed before they came.
    if (this.lastSeq > startSeq) {
      this.beginSweep();
      this.nextSlice = setImmediate(this.runSlice);
    }
  }

  private catchUp(cursor: Cursor): void {
    if (cursor.removed || cursor.client.closed || cursor.offeredThrough >= this.lastSeq) return;
    cursor.client.offer(this.batchAfter(cursor.offeredThrough));
    cursor.offeredThrough = this.lastSeq;
  }

  private batchAfter(seq: number): EventBatch {
    const known = this.batches.get(seq);
    if (known) return known;
    let first = this.retained.length;
    while (first > 0 && (this.retained[first - 1] as StreamedEvent).seq > seq) first -= 1;
    const batch = new EventBatch(this.retained.slice(first));
    this.batches.set(seq, batch);
    return batch;
  }
}
