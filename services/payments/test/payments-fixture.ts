import { jetstreamManager } from '@nats-io/jetstream';
import {
  AppError,
  STREAMS,
  SUBJECTS,
  subjectForEvent,
  type CreditedView,
  type Currency,
  type EventEnvelope,
  type EventType,
  type HoldView,
  type LedgerEntryPage,
  type PaymentStats,
  type WalletOwner,
  type WalletView,
} from '@agentmarket/contracts';
import { encodeJson } from '@agentmarket/messaging';
import { startServiceUnderTest, waitUntil } from '@agentmarket/testing';
import { checkLedger } from '../src/ledger-check/check-ledger.ts';
import { paymentsSettings } from '../src/config.ts';
import { createPaymentsModule, type PaymentsSettings } from '../src/payments.module.ts';
import { holdCommand, type TestJob } from './job-events.ts';

export { waitUntil } from '@agentmarket/testing';

export const FEE_BPS = 250;

/**
 * The payments service running in-process on private infrastructure, and a
 * client that asks it over the bus, publishes job events to JetStream and
 * reads its tables for facts the bus API does not show.
 */
export async function startPaymentsFixture(
  grants: Pick<PaymentsSettings, 'STARTER_GRANT_USD_CENTS' | 'STARTER_GRANT_SATS'> & Partial<PaymentsSettings> = { STARTER_GRANT_USD_CENTS: 0, STARTER_GRANT_SATS: 0 },
) {
  // The grant policy's limits are out of the way unless a test sets them (starter-grants-cannot-be-farmed does).
  const settings: PaymentsSettings = {
    PLATFORM_FEE_BPS: FEE_BPS,
    STARTER_GRANT_DAILY_BUDGET_USD_CENTS: 1_000_000_000_000,
    STARTER_GRANT_DAILY_BUDGET_SATS: 1_000_000_000_000,
    STARTER_GRANTS_PER_IP_PER_DAY: 1_000_000,
    ...grants,
  };
  const underTest = await startServiceUnderTest(createPaymentsModule(settings), paymentsSettings, {
    PLATFORM_FEE_BPS: String(settings.PLATFORM_FEE_BPS),
    STARTER_GRANT_USD_CENTS: String(settings.STARTER_GRANT_USD_CENTS),
    STARTER_GRANT_SATS: String(settings.STARTER_GRANT_SATS),
  });
  const { bus, orm, jetstream: js, connection } = underTest;
  const subjects = SUBJECTS.payments;
  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params, 'all');
  const agent = (id: string): WalletOwner => ({ type: 'agent', id });
  let credits = 0;

  const fixture = {
    bus,
    sql,
    /** The service's database, for a test that needs connections of its own. */
    databaseUrl: underTest.databaseUrl,
    agent,
    hold: (job: TestJob) => bus.request<HoldView>(subjects.hold, holdCommand(job)),
    abandon: (holdId: string) => bus.request<HoldView>(subjects.abandon, { hold_id: holdId }),
    wallet: (owner: WalletOwner) => bus.request<WalletView>(subjects.wallet, { owner }),
    transactions: (owner: WalletOwner, query: Record<string, unknown> = {}) =>
      bus.request<LedgerEntryPage>(subjects.transactions, { owner, query: { limit: 20, ...query } }),
    credit: (owner: WalletOwner, currency: Currency, amount: number, transferId = `credit:test-${++credits}-${Date.now()}`) =>
      bus.request<CreditedView>(subjects.credit, { transfer_id: transferId, owner, currency, amount }),
    stats: () => bus.request<PaymentStats>(subjects.stats, {}),
    /** Publishes an event as an outbox relay would: to its subject, with its id as Nats-Msg-Id unless told otherwise. */
    publish: (envelope: EventEnvelope, msgID: string = envelope.id) => js.publish(subjectForEvent(envelope.type as EventType), encodeJson(envelope), { msgID }),
    checkLedger: () => checkLedger(orm.em),
    async holdStatus(holdId: string): Promise<string | undefined> {
      const rows = await sql<{ status: string }>('select status from payments.holds where hold_id = ?', [holdId]);
      return rows[0]?.status;
    },
    /** Waits until the consumer has processed every listed event (its inbox rows). */
    async settled(events: EventEnvelope[]): Promise<void> {
      const ids = events.map((event) => event.id);
      await waitUntil(async () => {
        const rows = await sql<{ n: string }>('select count(*) as n from payments.inbox where event_id in (?)', [ids]);
        return Number(rows[0]?.n) === ids.length;
      });
    },
    /** Messages a durable consumer of the events stream has been handed and not yet acknowledged. */
    async unacknowledged(durable: string): Promise<number> {
      const manager = await jetstreamManager(connection);
      return (await manager.consumers.info(STREAMS.events.name, durable)).num_ack_pending;
    },
    /** How many messages a stream holds on one subject. */
    async streamCount(subject: string, stream: string = STREAMS.events.name): Promise<number> {
      const manager = await jetstreamManager(connection);
      const info = await manager.streams.info(stream, { subjects_filter: subject });
      return info.state.subjects?.[subject] ?? 0;
    },
    /** The envelopes of `evt.escrow.*` / `evt.wallet.*` events the service published about one aggregate. */
    async publishedEvents(aggregateId: string): Promise<EventEnvelope[]> {
      const rows = await sql<{ envelope: EventEnvelope }>('select envelope from payments.outbox where envelope->>\'aggregate_id\' = ? order by seq', [aggregateId]);
      return rows.map((row) => row.envelope);
    },
    stop: () => underTest.stop(),
  };
  return fixture;
}

export type PaymentsFixture = Awaited<ReturnType<typeof startPaymentsFixture>>;

/** The error code a request failed with ('resolved' when it did not fail). */
export const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );
