import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';
import { envelopeOf } from './envelope-of.ts';
import type { Logger } from '@agentmarket/observability';
import type { SseClient } from './sse-client.ts';
import { EventBatch } from './event-batch.ts';
import { StreamedEvent } from './streamed-event.ts';

/**
 * This gateway's one reader of the EVENTS stream: an ordered consumer from
 * "now" that fans every event out to the connected SSE clients in memory.
 * The ordered consumer resumes after the last sequence it saw when the bus
 * reconnects, so live clients see no gap. Events that arrive in one turn of
 * the event loop (one read from the bus, or those that came while the last
 * fan-out ran) go out together: one write per client for all of them, which
 * a crowd of clients makes the cost that counts.
 */
/** How long stop() waits for the stream reader to end. */
const STOP_WAIT_MS = 2000;

export class EventHub {
  private readonly clients = new Set<SseClient>();
  private readonly watchers = new Set<(events: readonly StreamedEvent[]) => void>();
  private readonly jetstream: JetStreamClient;
  private readonly logger: Logger;
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private pending: StreamedEvent[] = [];
  private flushing: NodeJS.Immediate | undefined;

  constructor(jetstream: JetStreamClient, logger: Logger) {
    this.jetstream = jetstream;
    this.logger = logger.child({ component: 'event-hub' });
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const consumer = await this.jetstream.consumers.get(STREAMS.events.name, { deliver_policy: DeliverPolicy.New });
        this.messages = await consumer.consume();
        // stop() may have run while the consumer was being created: it could not close this one, so close it here.
        if (this.stopped) {
          await this.messages.close();
          return;
        }
        for await (const message of this.messages) {
          const envelope = envelopeOf(message.data);
          // A message that is not JSON is skipped: it must not reset the reader (and lose its place).
          if (!envelope) continue;
          this.pending.push(new StreamedEvent(message.seq, envelope));
          this.flushing ??= setImmediate(this.flush);
        }
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: error }, 'event stream interrupted; resubscribing');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private readonly flush = (): void => {
    this.flushing = undefined;
    const batch = new EventBatch(this.pending);
    this.pending = [];
    for (const client of this.clients) client.offer(batch);
    for (const watcher of this.watchers) watcher(batch.events);
  };

  /** Calls `watcher` with every batch of live events, until the returned function is called (A2A task streams). */
  watch(watcher: (events: readonly StreamedEvent[]) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  add(client: SseClient): void {
    this.clients.add(client);
  }

  remove(client: SseClient): void {
    this.clients.delete(client);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Ends every open stream (clients reconnect with Last-Event-ID); for operators draining a replica. */
  disconnectAll(): number {
    const count = this.clients.size;
    for (const client of this.clients) client.close();
    this.clients.clear();
    return count;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // The reader may be inside the bus client's consumer set-up, which nothing can interrupt and which, on a
    // bus being shut down, may never settle: closing and the loop's end are waited for a bounded time only.
    const bounded = (step: Promise<unknown> | undefined) =>
      Promise.race([step?.catch(() => {}), new Promise<void>((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    await bounded(this.messages?.close());
    await bounded(this.loop);
    if (this.flushing) clearImmediate(this.flushing);
    for (const client of this.clients) client.close();
    this.clients.clear();
  }
}
