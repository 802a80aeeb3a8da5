import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';
import { envelopeOf } from './envelope-of.ts';
import type { Logger } from '@agentmarket/observability';
import type { SseClient } from './sse-client.ts';
import { FanOut } from './fan-out.ts';
import { StreamedEvent } from './streamed-event.ts';

/**
 * This gateway's one reader of the EVENTS stream: an ordered consumer from
 * "now" that fans every event out to the connected SSE clients in memory.
 * It keeps the sequence of the last event it read; whenever its consumer is
 * lost, a new one starts right after it, so live clients see no gap. Events
 * that arrive in one turn of the event loop (one read from the bus) are
 * handed to the fan-out together (fan-out.ts), which writes each client
 * once for everything it lacks.
 */
/** How long stop() waits for the stream reader to end. */
const STOP_WAIT_MS = 2000;
/** Events asked for per pull: a burst of several hundred per second needs no more than a few pulls. */
const PULL_BATCH = 256;
/**
 * How long one pull waits on the server. Its heartbeats come every half of
 * it, and two missed ones make the reader look for its consumer: a reader
 * whose consumer is gone is replaced within about this long (30 s with the
 * bus client's default).
 */
const PULL_EXPIRES_MS = 2000;

export class EventHub {
  private readonly fanOut = new FanOut();
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
    // The stream sequence of the last event read: a new reader starts right after it, so none is lost or repeated.
    let cursor: number | undefined;
    while (!this.stopped) {
      try {
        const consumer = await this.jetstream.consumers.get(
          STREAMS.events.name,
          cursor === undefined ? { deliver_policy: DeliverPolicy.New } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: cursor + 1 },
        );
        // A reader "from now" starts after the sequence the server gave it: that is where a replacement resumes.
        cursor ??= (await consumer.info(true)).delivered.stream_seq;
        const messages = await consumer.consume({ max_messages: PULL_BATCH, expires: PULL_EXPIRES_MS });
        this.messages = messages;
        // stop() may have run while the consumer was being created: it could not close this one, so close it here.
        if (this.stopped) {
          await messages.close();
          return;
        }
        void this.replaceOnReset(messages);
        for await (const message of messages) {
          // The bus client's own recovery may deliver again what this reader saw before it was replaced.
          if (message.seq <= cursor) continue;
          cursor = message.seq;
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

  /**
   * The bus client recreates an ordered consumer that lost its place (a gap in
   * delivery, its consumer gone after a server restart or a clean-up) but
   * keeps counting the messages its old pulls asked for: the new consumer is
   * then pulled for none, and nothing arrives until two heartbeats are missed,
   * then again after the next reset. So on a reset this reader ends (the loop
   * above starts a fresh one after the last event it read) instead of waiting
   * on the client's recovery.
   */
  private async replaceOnReset(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type !== 'reset') continue;
      this.logger.warn({ consumer: status.name }, 'event stream reader lost its place; starting a new one after the last event read');
      await messages.close().catch(() => {});
      return;
    }
  }

  private readonly flush = (): void => {
    this.flushing = undefined;
    const events = this.pending;
    this.pending = [];
    this.fanOut.publish(events);
    for (const watcher of this.watchers) watcher(events);
  };

  /** Calls `watcher` with every batch of live events, until the returned function is called (A2A task streams). */
  watch(watcher: (events: readonly StreamedEvent[]) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  add(client: SseClient): void {
    this.fanOut.add(client);
  }

  remove(client: SseClient): void {
    this.fanOut.remove(client);
  }

  get size(): number {
    return this.fanOut.size;
  }

  /** Ends every open stream (clients reconnect with Last-Event-ID); for operators draining a replica. */
  disconnectAll(): number {
    const clients = this.fanOut.clients();
    for (const client of clients) {
      client.close();
      this.fanOut.remove(client);
    }
    return clients.length;
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
    this.fanOut.stop();
    this.disconnectAll();
  }
}
