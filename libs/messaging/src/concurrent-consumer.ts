import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@agentmarket/observability';
import { runUnitOfWork } from '@agentmarket/persistence';
import { applySettlement, type Settlement } from './settlement.ts';

/** Does the work of one message delivery, parsing it itself, and says how to settle it (the executor's hosted job and A2A seller runners). */
export interface WorkRunner {
  run(data: Uint8Array, deliveryCount: number): Promise<Settlement>;
}

export interface ConcurrentConsumerOptions {
  jetstream: JetStreamClient;
  stream: string;
  durable: string;
  /** Messages this replica holds at once: enough to keep every model slot busy while others read or deliver jobs. */
  inHand: number;
  /** How often a held message tells the server it is still being worked on (a third of the ack wait). */
  heartbeatMs: number;
  runner: WorkRunner;
  logger: Logger;
  /** Told of every settlement given, e.g. to count them. */
  onSettled?(settlement: Settlement): void;
}

// The smallest wait the client allows; messages are yielded as they arrive, so this adds no latency.
const FETCH_EXPIRES_MS = 5000;

/**
 * The consumer helper for long work (the executor: WORK for hosted jobs, job
 * events for A2A sellers). Unlike runConsumer (consumer-runner.ts), which
 * applies batches of short effects in stream order, it works on up to
 * `inHand` messages at once (the model calls among them are
 * bounded by the runner's slots), fetching only as many as it has room for,
 * so that no message waits in a client buffer without a heartbeat. Settle
 * policy as everywhere: ack after success, nak(delay) for a retry, term and a
 * DEAD_LETTER copy for a poison message, working() during long calls.
 */
export function runConcurrentConsumer(options: ConcurrentConsumerOptions): { stop(): Promise<void> } {
  const logger = options.logger.child({ consumer: options.durable });
  const inFlight = new Set<Promise<void>>();
  let roomWaiter: (() => void) | undefined;
  let batch: ConsumerMessages | undefined;
  let stopped = false;

  const wake = () => {
    const waiter = roomWaiter;
    roomWaiter = undefined;
    waiter?.();
  };
  const room = () => (inFlight.size < options.inHand || stopped ? Promise.resolve() : new Promise<void>((resolve) => (roomWaiter = resolve)));

  const handle = async (message: JsMsg) => {
    const heartbeat = setInterval(() => message.working(), options.heartbeatMs);
    try {
      const settlement = await runUnitOfWork(() => options.runner.run(message.data, message.info.deliveryCount));
      await applySettlement(message, settlement, { jetstream: options.jetstream, durable: options.durable, logger });
      options.onSettled?.(settlement);
    } catch (error) {
      logger.error({ err: error, seq: message.seq }, 'work item failed unexpectedly; it will come back');
      message.nak(5000);
    } finally {
      clearInterval(heartbeat);
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        const consumer = await options.jetstream.consumers.get(options.stream, options.durable);
        while (!stopped) {
          await room();
          if (stopped) break;
          batch = await consumer.fetch({ max_messages: options.inHand - inFlight.size, expires: FETCH_EXPIRES_MS });
          for await (const message of batch) {
            const task = handle(message).finally(() => {
              inFlight.delete(task);
              wake();
            });
            inFlight.add(task);
          }
        }
      } catch (error) {
        if (stopped) break;
        logger.warn({ err: error }, 'work consumer interrupted; fetching again');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake();
      await batch?.close();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
