import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { AppError, type EventEnvelope } from '@agentmarket/contracts';
import type { Logger, ProcessMetrics } from '@agentmarket/observability';
import { runUnitOfWork } from '@agentmarket/persistence';
import { deadLetterCount, moveToDeadLetter } from './dead-letter.ts';
import { readEnvelope } from './envelope-reader.ts';

export type HandleOutcome = 'applied' | 'duplicate';

export interface ConsumerOptions {
  jetstream: JetStreamClient;
  stream: string;
  durable: string;
  /** Must commit its effect before resolving; the message is acked after. */
  handle(envelope: EventEnvelope, context: { logger: Logger; deliveryCount: number }): Promise<HandleOutcome>;
  /**
   * Optional: applies several events in ONE transaction (idempotently, like
   * `handle`). Under load the messages that arrive while a batch is being
   * applied form the next batch; if a batch fails, each of its messages goes
   * through `handle` alone, so one bad event cannot hold the others back.
   * Resolves to how many of the events had been applied before (duplicates), if it knows.
   */
  handleBatch?(envelopes: EventEnvelope[], context: { logger: Logger }): Promise<number | void>;
  logger: Logger;
  metrics: ProcessMetrics;
  /** Same as the consumer's max_deliver: at the last attempt a failure goes to the dead letter stream. */
  maxDeliver: number;
  /** Messages pulled per batch, and the most one handleBatch call receives. */
  batchSize?: number;
  /**
   * Least time from the start of one batch to the start of the next. Under
   * load the events that arrive meanwhile are applied together (one
   * transaction, fewer statements); after a quiet spell an event is applied
   * at once. 0: each batch as soon as the last one is settled.
   */
  minBatchIntervalMs?: number;
  /** Redelivery delays for transient errors, by attempt; the last repeats. */
  backoffMs?: number[];
  /** A handler still running after this long tells the server it is alive (`working()`). */
  workingIntervalMs?: number;
}

/** The envelope a stream message carries; bytes that are not even JSON fail the same way as a bad shape. */
function parseEnvelope(message: JsMsg): { success: true; data: EventEnvelope } | { success: false; error: unknown } {
  try {
    return { success: true, data: readEnvelope(message.data) };
  } catch (error) {
    return { success: false, error };
  }
}

/**
 * Runs a durable pull consumer with the settle policy of DESIGN.md:
 * ack after the handler's transaction commits; a transient error → nak with
 * backoff; a permanent error (bad message, AppError that a retry cannot fix)
 * or the last allowed attempt → copy to DEAD_LETTER and term.
 */
export function runConsumer(options: ConsumerOptions): { stop(): Promise<void> } {
  const logger = options.logger.child({ consumer: options.durable });
  const backoffMs = options.backoffMs ?? [1000, 5000, 15_000, 60_000];
  let messages: ConsumerMessages | undefined;
  let stopped = false;

  const settle = async (message: JsMsg) => {
    const deliveryCount = message.info.deliveryCount;
    const parsed = parseEnvelope(message);
    if (!parsed.success) return deadLetter(message, 'malformed envelope', parsed.error);
    const envelope = parsed.data;
    // The event's fields go into a log line only when something is logged: no child logger per message.
    const eventFields = () => ({ event_id: envelope.id, event_type: envelope.type, aggregate_id: envelope.aggregate_id });
    const keepAlive = setInterval(() => message.working(), options.workingIntervalMs ?? 10_000);
    try {
      const outcome = await options.handle(envelope, { logger, deliveryCount });
      message.ack();
      options.metrics.eventsConsumed.inc({ consumer: options.durable, outcome: outcome === 'duplicate' ? 'duplicate' : 'ack' });
    } catch (error) {
      const permanent = error instanceof AppError && error.code !== 'unavailable';
      if (permanent || deliveryCount >= options.maxDeliver) {
        return deadLetter(message, permanent ? 'permanent error' : 'retries exhausted', error, logger.child(eventFields()));
      }
      const delay = backoffMs[Math.min(deliveryCount - 1, backoffMs.length - 1)] ?? 1000;
      logger.warn({ ...eventFields(), err: error, attempt: deliveryCount, retry_ms: delay }, 'event handling failed; will retry');
      message.nak(delay);
      options.metrics.eventsConsumed.inc({ consumer: options.durable, outcome: 'nak' });
    } finally {
      clearInterval(keepAlive);
    }
  };

  const deadLetter = async (message: JsMsg, reason: string, error: unknown, failureLogger: Logger = logger) => {
    const failure = `${reason}: ${(error as Error).message ?? String(error)}`;
    if (await moveToDeadLetter(message, { jetstream: options.jetstream, durable: options.durable, failure, logger: failureLogger, err: error })) {
      options.metrics.eventsConsumed.inc({ consumer: options.durable, outcome: 'term' });
      options.metrics.deadLettersMoved.inc({ consumer: options.durable });
    }
  };

  const batchSize = options.batchSize ?? 64;
  const minBatchIntervalMs = options.minBatchIntervalMs ?? 0;
  let lastBatchAt = 0;
  const gathering = new Gathering();

  /** Settles messages in stream order: as one transaction when the spec can, else one by one. */
  const settleBatch = async (batch: JsMsg[]) => {
    const handleBatch = options.handleBatch;
    if (!handleBatch || batch.length === 1) {
      for (const message of batch) await settle(message);
      return;
    }
    const parsed: { message: JsMsg; envelope: EventEnvelope }[] = [];
    for (const message of batch) {
      const result = parseEnvelope(message);
      if (result.success) parsed.push({ message, envelope: result.data });
      else await deadLetter(message, 'malformed envelope', result.error);
    }
    if (parsed.length === 0) return;
    const keepAlive = setInterval(() => {
      for (const { message } of parsed) message.working();
    }, options.workingIntervalMs ?? 10_000);
    try {
      const duplicates = (await handleBatch(
        parsed.map((item) => item.envelope),
        { logger },
      )) ?? 0;
      for (const { message } of parsed) message.ack();
      if (parsed.length > duplicates) options.metrics.eventsConsumed.inc({ consumer: options.durable, outcome: 'ack' }, parsed.length - duplicates);
      if (duplicates > 0) options.metrics.eventsConsumed.inc({ consumer: options.durable, outcome: 'duplicate' }, duplicates);
    } catch (error) {
      logger.warn({ err: error, size: parsed.length }, 'batch failed; settling its events one by one');
      for (const { message } of parsed) await settle(message);
    } finally {
      clearInterval(keepAlive);
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        const consumer = await options.jetstream.consumers.get(options.stream, options.durable);
        messages = await consumer.consume({ max_messages: batchSize });
        // stop() may have run while the subscription was being made: it could not close this one, so close it here.
        if (stopped) {
          await messages.close();
          break;
        }
        // Messages that arrive while a batch is being applied, or within the batch interval, queue up and form
        // the next batch: one at a time when idle (no added latency), bigger batches under load.
        const queue: JsMsg[] = [];
        let draining: Promise<void> | undefined;
        const drain = async () => {
          try {
            while (queue.length > 0) {
              // Only when there is a wait: after a quiet spell the batch starts in this very tick, with what has arrived.
              const nextBatchAt = lastBatchAt + minBatchIntervalMs;
              if (!stopped && queue.length < batchSize && nextBatchAt > Date.now()) await gathering.until(nextBatchAt);
              lastBatchAt = Date.now();
              const batch = queue.splice(0, batchSize);
              await runUnitOfWork(() => settleBatch(batch));
            }
          } catch (error) {
            // Unsettled messages are redelivered after the ack wait; the loop goes on.
            logger.error({ err: error }, 'settling failed');
            queue.length = 0;
          } finally {
            draining = undefined;
          }
        };
        for await (const message of messages) {
          queue.push(message);
          if (queue.length >= batchSize) gathering.end();
          draining ??= drain();
          if (queue.length >= batchSize) await draining;
          if (stopped) break;
        }
        await draining;
      } catch (error) {
        if (stopped) break;
        logger.warn({ err: error }, 'consumer interrupted; resubscribing');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();

  const stopSampling = options.metrics.samplers.add(consumerSampler(options));

  return {
    async stop() {
      stopped = true;
      gathering.end();
      stopSampling();
      await messages?.close();
      await loop;
    },
  };
}

/** A wait for more messages to join a batch, which a full batch (or a stop) ends early. */
class Gathering {
  private finish: (() => void) | undefined;

  /** Resolves at `deadline` (epoch ms), at once when it has passed, or when end() is called. */
  until(deadline: number): Promise<void> {
    const wait = deadline - Date.now();
    if (wait <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.end(), wait);
      this.finish = () => {
        clearTimeout(timer);
        this.finish = undefined;
        resolve();
      };
    });
  }

  end(): void {
    this.finish?.();
  }
}

/**
 * Reads the durable's lag (num_pending), its unsettled messages and its
 * dead letters at each scrape: two JetStream API requests this service is
 * already allowed to make. Every replica reports the same durable, so
 * dashboards take the max by consumer.
 */
function consumerSampler(options: ConsumerOptions): () => Promise<void> {
  const labels = { consumer: options.durable, stream: options.stream };
  let manager: JetStreamManager | undefined;
  return async () => {
    // false: no $JS.API.INFO probe, the consumer's own permissions are enough.
    manager ??= await options.jetstream.jetstreamManager(false);
    const current = manager;
    // Each figure is set when it arrives: one failing request leaves only its own gauge at the last value.
    await Promise.all([
      current.consumers.info(options.stream, options.durable).then((info) => {
        options.metrics.consumerPending.set(labels, info.num_pending);
        options.metrics.consumerAckPending.set(labels, info.num_ack_pending);
      }),
      deadLetterCount(current, options.durable).then((count) => options.metrics.deadLetterMessages.set({ consumer: options.durable }, count)),
    ]);
  };
}
