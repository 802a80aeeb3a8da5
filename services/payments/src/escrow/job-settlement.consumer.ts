import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, type EventEnvelope } from '@agentmarket/contracts';
import { applyOnce, applyOnceBatch, type ConsumerSpec, type HandleOutcome } from '@agentmarket/messaging';
import type { EscrowService } from './escrow.service.ts';
import { isSettlingJobEvent, settlementRequestFor } from './job-outcome.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

const declaration = CONSUMERS.payments.jobSettlement;

/** Settles a job's hold when the job ends, once per event; other job events are acknowledged with no effect. */
export async function onJobEvent(orm: MikroORM, escrow: EscrowService, envelope: EventEnvelope): Promise<HandleOutcome> {
  const request = settlementRequestFor(envelope);
  if (!request) return 'applied';
  return applyOnce(orm, PAYMENTS_SCHEMA, declaration.durable, envelope, (em) => escrow.settleWithin(em, [request]));
}

/**
 * The durable consumer of `evt.job.>` that releases, refunds or splits
 * escrow. Under load a batch of endings is one transaction (one escrow
 * update); a batch that fails is retried event by event by the runner.
 */
export function jobSettlementConsumer(orm: MikroORM, escrow: EscrowService): ConsumerSpec {
  return {
    declaration,
    handle: (envelope) => onJobEvent(orm, escrow, envelope),
    handleBatch: async (envelopes) => {
      const endings = envelopes.filter((envelope) => isSettlingJobEvent(envelope.type));
      if (endings.length === 0) return;
      // Parsed before the transaction: a malformed event fails the batch before it touches the database.
      const requests = new Map(endings.map((envelope) => [envelope.id, settlementRequestFor(envelope)]));
      await applyOnceBatch(orm, PAYMENTS_SCHEMA, declaration.durable, endings, (em, fresh) =>
        escrow.settleWithin(
          em,
          fresh.flatMap((envelope) => requests.get(envelope.id) ?? []),
        ),
      );
    },
  };
}
