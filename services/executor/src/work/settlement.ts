import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { deadLetterSubject } from '@agentmarket/contracts';
import type { Logger } from '@agentmarket/observability';

/** What becomes of one work message. */
export type Settlement =
  | { kind: 'ack'; result: 'delivered' | 'failed' | 'skipped'; note: string }
  | { kind: 'nak'; delayMs: number; note: string }
  | { kind: 'dead_letter'; reason: string };

/** Gives a settlement to the server: ack, nak with a delay, or a copy to DEAD_LETTER and term. */
export async function applySettlement(message: JsMsg, settlement: Settlement, options: { jetstream: JetStreamClient; durable: string; logger: Logger }): Promise<void> {
  if (settlement.kind === 'ack') {
    message.ack();
    return;
  }
  if (settlement.kind === 'nak') {
    message.nak(Math.max(0, Math.round(settlement.delayMs)));
    return;
  }
  const headers = natsHeaders();
  headers.set('x-original-subject', message.subject);
  headers.set('x-original-sequence', String(message.seq));
  headers.set('x-failure', settlement.reason.slice(0, 1000));
  try {
    await options.jetstream.publish(deadLetterSubject(options.durable), message.data, { headers, msgID: `${options.durable}:${message.seq}` });
    message.term(settlement.reason.slice(0, 200));
    options.logger.error({ seq: message.seq, reason: settlement.reason }, 'work item moved to the dead letter stream');
  } catch (error) {
    // Without a dead letter copy the message must not be dropped: let it come back.
    options.logger.error({ err: error }, 'dead letter publish failed; work item will be redelivered');
    message.nak(5000);
  }
}
