import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { STREAMS, type EventEnvelope } from '@agentmarket/contracts';
import { envelopeOf } from './envelope-of.ts';
import { StreamedEvent } from './streamed-event.ts';

const REPLAY_IDLE_MS = 1500;

/** Where a reconnecting client resumes: after a sequence (Last-Event-ID) or from a time. */
export type ReplayStart = { afterSeq: number } | { fromTime: Date };

/**
 * Sends the events a client missed, read from the stream up to the last
 * sequence that existed when the replay began (later ones reach the client
 * live). At most `limit` events: older ones are skipped. Throws when it
 * stops before the end (its reader lost midway), so that the stream ends
 * instead of going live past events it did not send.
 */
export async function replayMissed(
  jetstream: JetStreamClient,
  manager: JetStreamManager,
  start: ReplayStart,
  limit: number,
  send: (event: StreamedEvent) => void,
): Promise<void> {
  const { state } = await manager.streams.info(STREAMS.events.name);
  const lastSeq = state.last_seq;
  if (limit === 0 || lastSeq === 0) return;
  let options;
  if ('afterSeq' in start) {
    if (start.afterSeq >= lastSeq) return;
    const firstWanted = Math.max(start.afterSeq + 1, lastSeq - limit + 1, state.first_seq);
    options = { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: firstWanted };
  } else {
    options = { deliver_policy: DeliverPolicy.StartTime, opt_start_time: start.fromTime.toISOString() };
  }
  const consumer = await jetstream.consumers.get(STREAMS.events.name, options);
  const messages = await consumer.consume({ max_messages: Math.min(limit, 512) });
  let sent = 0;
  let lastRead: number | undefined;
  let reachedEnd = false;
  // A start time after the last event yields nothing: stop waiting when the stream goes quiet.
  let idle = setTimeout(() => void messages.close(), REPLAY_IDLE_MS);
  try {
    for await (const message of messages) {
      clearTimeout(idle);
      idle = setTimeout(() => void messages.close(), REPLAY_IDLE_MS);
      if (message.seq > lastSeq) {
        reachedEnd = true;
        break;
      }
      lastRead = message.seq;
      const envelope = envelopeOf(message.data);
      if (envelope) {
        send(new StreamedEvent(message.seq, envelope));
        sent += 1;
      }
      if (message.seq === lastSeq || message.info.pending === 0 || sent >= limit) {
        reachedEnd = true;
        break;
      }
    }
  } finally {
    clearTimeout(idle);
    await messages.close();
  }
  // Only a start time after the last event may end in silence. Any other early end (the reader's consumer lost
  // midway) would let the client go live past events it never got: fail instead, and the stream ends so that
  // the client resumes with Last-Event-ID.
  if (!reachedEnd && ('afterSeq' in start || lastRead !== undefined)) {
    throw new Error(`replay stopped after sequence ${lastRead ?? 'none'}, before ${lastSeq}`);
  }
}
