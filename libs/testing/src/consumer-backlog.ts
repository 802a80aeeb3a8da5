import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';

/** A durable consumer that still has work: messages not yet delivered, or delivered and not yet settled. */
export interface ConsumerBacklog {
  stream: string;
  durable: string;
  /** Stored messages the consumer has not been given yet (`num_pending`). */
  pending: number;
  /** Messages given out and neither acked nor terminated, including those waiting for a redelivery (`num_ack_pending`). */
  awaitingAck: number;
}

/** The streams the services consume; DEAD_LETTER has no consumers of ours. */
export const CONSUMED_STREAMS: readonly string[] = [STREAMS.events.name, STREAMS.work.name, STREAMS.audit.name];

/**
 * The durable consumers of `streams` with messages pending or awaiting an
 * ack, only those with any. Ephemeral and ordered consumers (the gateway's
 * SSE readers, a test's own reader) are not the market's work and are
 * skipped; a stream that does not exist has no backlog.
 */
export async function consumerBacklogs(manager: JetStreamManager, streams: readonly string[] = CONSUMED_STREAMS): Promise<ConsumerBacklog[]> {
  const backlogs: ConsumerBacklog[] = [];
  for (const stream of streams) {
    try {
      for await (const info of manager.consumers.list(stream)) {
        const durable = info.config.durable_name;
        if (!durable) continue;
        if (info.num_pending > 0 || info.num_ack_pending > 0) {
          backlogs.push({ stream, durable, pending: info.num_pending, awaitingAck: info.num_ack_pending });
        }
      }
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) continue;
      throw error;
    }
  }
  return backlogs;
}
