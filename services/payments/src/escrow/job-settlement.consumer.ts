import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import type { EscrowService } from './escrow.service.ts';
import { settlementRequestsFor, SETTLING_JOB_EVENTS } from './job-outcome.ts';
import type { SettlementRequest } from './settle-holds.ts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

/**
 * The durable consumer of `evt.job.>` that releases, refunds or splits a
 * job's hold when the job ends, once per event; other job events are
 * acknowledged untouched. A batch of endings is one transaction (one escrow update).
 */
export function jobSettlementConsumer(orm: MikroORM, escrow: EscrowService): ConsumerSpec {
  return eventConsumer<SettlementRequest[]>({
    declaration: CONSUMERS.payments.jobSettlement,
    orm,
    schema: PAYMENTS_SCHEMA,
    reads: SETTLING_JOB_EVENTS,
    prepare: settlementRequestsFor,
    apply: (em, events) => escrow.settleWithin(em, events.flatMap((event) => event.change)),
  });
}
