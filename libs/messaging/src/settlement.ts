import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { moveToDeadLetter } from './dead-letter.ts';
import type { Logger } from '@agentmarket/observability';

/** What becomes of one message of a concurrent consumer (concurrent-consumer.ts). */
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
  await moveToDeadLetter(message, { jetstream: options.jetstream, durable: options.durable, failure: settlement.reason, logger: options.logger });
}
