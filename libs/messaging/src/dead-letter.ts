import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { STREAMS, deadLetterSubject } from '@agentmarket/contracts';
import type { Logger } from '@agentmarket/observability';

/**
 * Copies a message that can never be processed to DEAD_LETTER
 * (`dlq.<durable>`, with its origin and the failure in headers), then terms
 * it. If the copy cannot be published the message is nak'ed instead — it
 * must not be dropped — and false is returned.
 */
export async function moveToDeadLetter(
  message: JsMsg,
  options: { jetstream: JetStreamClient; durable: string; failure: string; logger: Logger; err?: unknown },
): Promise<boolean> {
  const headers = natsHeaders();
  headers.set('x-original-subject', message.subject);
  headers.set('x-original-sequence', String(message.seq));
  headers.set('x-failure', options.failure.slice(0, 1000));
  try {
    await options.jetstream.publish(deadLetterSubject(options.durable), message.data, { headers, msgID: `${options.durable}:${message.seq}` });
    // No reason argument: nats-server 2.9 ignores a `+TERM <reason>` ack, so the message would stay
    // pending and come back. The reason travels in the dead letter's x-failure header instead.
    message.term();
    options.logger.error({ err: options.err, seq: message.seq, reason: options.failure }, 'message moved to the dead letter stream');
    return true;
  } catch (publishError) {
    options.logger.error({ err: publishError }, 'dead letter publish failed; the message will be redelivered');
    message.nak(5000);
    return false;
  }
}

/**
 * Messages stored in DEAD_LETTER for one durable, whoever moved them and
 * however long ago (the stream keeps them 30 days): what an operator has
 * to look at. Read as the stream's per-subject count, one request.
 */
export async function deadLetterCount(manager: JetStreamManager, durable: string): Promise<number> {
  const subject = deadLetterSubject(durable);
  const info = await manager.streams.info(STREAMS.deadLetter.name, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}
