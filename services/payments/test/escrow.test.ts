import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { CONSUMERS, STREAMS, deadLetterSubject, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { jobEvent, newJob, type TestJob } from './job-events.ts';
import { errorCode, startPaymentsFixture, waitUntil, type PaymentsFixture } from './payments-fixture.ts';

let fixture: PaymentsFixture;
beforeAll(async () => {
  fixture = await startPaymentsFixture();
});
afterAll(async () => fixture?.stop());

/** A job whose client has exactly `funds` (default: the price) in the job's currency. */
async function fundedJob(amount: number, funds = amount, currency: 'USD' | 'SAT' = 'USD'): Promise<TestJob> {
  const job = newJob(amount, currency);
  if (funds > 0) await fixture.credit(fixture.agent(job.client_agent_id), currency, funds);
  return job;
}

const count = async (query: string, params: unknown[] = []) => Number((await fixture.sql<{ n: string }>(query, params))[0]?.n);
const transfersOf = (holdId: string) =>
  fixture.sql<{ id: string; kind: string; amount: string }>('select id, kind, amount from payments.transfers where hold_id = ? order by seq', [holdId]);

/** Publishes events and waits until the settlement consumer has applied them. */
async function deliver(...events: EventEnvelope[]): Promise<void> {
  for (const event of events) await fixture.publish(event);
  await fixture.settled(events.filter((event) => ['job_completed', 'job_cancelled', 'job_failed', 'job_expired', 'job_resolved'].includes(event.type)));
}

describe('placing holds', () => {
  it('moves the price from available to held', async () => {
    const job = await fundedJob(1000, 2500);
    const client = fixture.agent(job.client_agent_id);
    expect(await fixture.hold(job)).toEqual({ hold_id: job.job_id, status: 'held', currency: 'USD', amount: 1000 });
    expect((await fixture.wallet(client)).balances).toEqual([
      { currency: 'USD', available: '15.00', held: '10.00' },
      { currency: 'SAT', available: 0, held: 0 },
    ]);
    const [held] = await fixture.publishedEvents(job.job_id);
    expect(held).toMatchObject({
      type: 'escrow_held',
      aggregate_version: 1,
      actor: { type: 'agent', id: job.client_agent_id },
      data: { hold_id: job.job_id, client_agent_id: job.client_agent_id, worker_agent_id: job.worker_agent_id, amount: 1000, currency: 'USD' },
    });
  });

  it('refuses a payer who cannot pay with insufficient_funds, writing nothing', async () => {
    const job = await fundedJob(1000, 999);
    const before = await count('select count(*) as n from payments.transfers');
    expect(await errorCode(fixture.hold(job))).toBe('insufficient_funds');
    expect(await count('select count(*) as n from payments.holds where hold_id = ?', [job.job_id])).toBe(0);
    expect(await count('select count(*) as n from payments.transfers')).toBe(before);
    expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[0]).toEqual({ currency: 'USD', available: '9.99', held: '0.00' });
    expect(await fixture.publishedEvents(job.job_id)).toEqual([]);
    // A payer the ledger has never seen has nothing at all.
    expect(await errorCode(fixture.hold(newJob(1, 'SAT')))).toBe('insufficient_funds');
  });

  it('answers the same hold twice with one hold and one transfer', async () => {
    const job = await fundedJob(1000, 5000);
    const [first, second] = await Promise.all([fixture.hold(job), fixture.hold(job)]);
    expect(second).toEqual(first);
    expect(await fixture.hold(job)).toEqual(first);
    expect(await transfersOf(job.job_id)).toEqual([{ id: `hold:${job.job_id}`, kind: 'hold', amount: '1000' }]);
    expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[0]).toEqual({ currency: 'USD', available: '40.00', held: '10.00' });
  });

  it('fences an id abandoned before its hold: a late hold is a conflict', async () => {
    const job = await fundedJob(700);
    expect(await fixture.abandon(job.job_id)).toEqual({ hold_id: job.job_id, status: 'abandoned', currency: 'USD', amount: 0 });
    expect(await errorCode(fixture.hold(job))).toBe('conflict');
    expect(await fixture.abandon(job.job_id)).toMatchObject({ status: 'abandoned' });
    expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[0]).toEqual({ currency: 'USD', available: '7.00', held: '0.00' });
    expect(await transfersOf(job.job_id)).toEqual([]);
  });

  it('refunds a hold abandoned after it was placed, once', async () => {
    const job = await fundedJob(700);
    await fixture.hold(job);
    expect(await fixture.abandon(job.job_id)).toEqual({ hold_id: job.job_id, status: 'refunded', currency: 'USD', amount: 700 });
    expect(await fixture.abandon(job.job_id)).toMatchObject({ status: 'refunded' });
    expect(await fixture.hold(job)).toMatchObject({ status: 'refunded' });
    expect((await transfersOf(job.job_id)).map((transfer) => transfer.kind)).toEqual(['hold', 'refund']);
    expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[0]).toEqual({ currency: 'USD', available: '7.00', held: '0.00' });
    expect((await fixture.publishedEvents(job.job_id)).map((event) => event.type)).toEqual(['escrow_held', 'escrow_refunded']);
  });

  it('lets exactly 40 of 100 concurrent holds through when the payer can pay for 40', async () => {
    const client = uuidv7();
    await fixture.credit(fixture.agent(client), 'USD', 40 * 100);
    const jobs = Array.from({ length: 100 }, () => newJob(100, 'USD', { client_agent_id: client }));
    // Samples the committed balance while the holds race: it must never be seen below zero.
    const seen: number[] = [];
    let racing = true;
    const sampler = (async () => {
      while (racing) {
        const rows = await fixture.sql<{ balance: string }>(`select balance from payments.accounts where owner_key = ? and currency = 'USD'`, [`agent:${client}`]);
        seen.push(Number(rows[0]?.balance));
      }
    })();
    const outcomes = await Promise.all(jobs.map((job) => errorCode(fixture.hold(job))));
    racing = false;
    await sampler;
    expect(seen.length).toBeGreaterThan(1);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(outcomes.filter((outcome) => outcome === 'resolved')).toHaveLength(40);
    expect(outcomes.filter((outcome) => outcome === 'insufficient_funds')).toHaveLength(60);
    expect((await fixture.wallet(fixture.agent(client))).balances[0]).toEqual({ currency: 'USD', available: '0.00', held: '40.00' });
    expect(await count(`select count(*) as n from payments.holds h join payments.accounts a on a.id = h.payer_account_id where a.owner_key = ?`, [`agent:${client}`])).toBe(40);
  });
});

describe('settling holds when jobs end', () => {
  it('releases a completed 10.00 job: 9.75 to the worker, 0.25 to the platform, once despite duplicates', async () => {
    const job = await fundedJob(1000);
    await fixture.hold(job);
    const completed = jobEvent(job, 'job_completed', { rating: 5, review: 'great', auto: false });
    await deliver(jobEvent(job, 'job_started'), jobEvent(job, 'job_delivered'), completed);
    // The same event again (a relay retry outside the duplicate window) and a second completion event.
    const again = jobEvent(job, 'job_completed', { rating: 5, review: null, auto: true });
    await fixture.publish(completed, uuidv7());
    await deliver(again);
    expect(await fixture.holdStatus(job.job_id)).toBe('released');
    expect(await transfersOf(job.job_id)).toEqual([
      { id: `hold:${job.job_id}`, kind: 'hold', amount: '1000' },
      { id: `release:${job.job_id}`, kind: 'release', amount: '975' },
      { id: `fee:${job.job_id}`, kind: 'fee', amount: '25' },
    ]);
    expect((await fixture.wallet(fixture.agent(job.worker_agent_id))).balances[0]).toEqual({ currency: 'USD', available: '9.75', held: '0.00' });
    expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[0]).toEqual({ currency: 'USD', available: '0.00', held: '0.00' });
    expect(await count('select count(*) as n from payments.hold_settlements where hold_id = ?', [job.job_id])).toBe(1);
    const events = await fixture.publishedEvents(job.job_id);
    expect(events.map((event) => event.type)).toEqual(['escrow_held', 'escrow_released']);
    expect(events[1]).toMatchObject({ aggregate_version: 2, data: { worker_amount: 975, client_amount: 0, fee_amount: 25, amount: 1000 } });
  });

  it.each(['job_cancelled', 'job_failed', 'job_expired'])('refunds the client in full on %s, once', async (type) => {
    const job = await fundedJob(1234);
    await fixture.hold(job);
    const ending = jobEvent(job, type, type === 'job_expired' ? {} : { reason: 'because' });
    await deliver(ending);
    await fixture.publish(ending, uuidv7());
    await deliver(jobEvent(job, type));
    expect(await fixture.holdStatus(job.job_id)).toBe('refunded');
    expect((await transfersOf(job.job_id)).map((transfer) => [transfer.kind, transfer.amount])).toEqual([
      ['hold', '1234'],
      ['refund', '1234'],
    ]);
    expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[0]).toEqual({ currency: 'USD', available: '12.34', held: '0.00' });
    expect((await fixture.wallet(fixture.agent(job.worker_agent_id))).balances[0]?.available).toBe('0.00');
    expect((await fixture.publishedEvents(job.job_id)).map((event) => event.type)).toEqual(['escrow_held', 'escrow_refunded']);
  });

  it('splits a resolved dispute by the worker’s share, the fee from the worker’s part', async () => {
    const job = await fundedJob(1001);
    await fixture.hold(job);
    const resolved = jobEvent(job, 'job_resolved', { worker_share_pct: 60, note: 'partly done' });
    await deliver(jobEvent(job, 'job_disputed', { reason: 'meh' }), resolved);
    await fixture.publish(resolved, uuidv7());
    await deliver(jobEvent(job, 'job_resolved', { worker_share_pct: 10, note: 'second thoughts' }));
    expect(await fixture.holdStatus(job.job_id)).toBe('split');
    // 60 % of 1001 = 600 (floor); fee floor(600 × 2.5 %) = 15; the client gets 401 back.
    expect((await transfersOf(job.job_id)).map((transfer) => [transfer.kind, transfer.amount])).toEqual([
      ['hold', '1001'],
      ['release', '585'],
      ['fee', '15'],
      ['refund', '401'],
    ]);
    expect((await fixture.publishedEvents(job.job_id))[1]).toMatchObject({ type: 'escrow_split', data: { worker_amount: 585, client_amount: 401, fee_amount: 15 } });
  });

  it('transfers nothing for a zero part: a 0 % split is a refund in all but name', async () => {
    const job = await fundedJob(500, 500, 'SAT');
    await fixture.hold(job);
    await deliver(jobEvent(job, 'job_resolved', { worker_share_pct: 0, note: 'nothing delivered' }));
    expect(await fixture.holdStatus(job.job_id)).toBe('split');
    expect((await transfersOf(job.job_id)).map((transfer) => transfer.kind)).toEqual(['hold', 'refund']);
    expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[1]).toEqual({ currency: 'SAT', available: 500, held: 0 });
  });

  it('sends the ending of a job that never had a hold to the dead letter stream, and keeps going', async () => {
    const orphan = newJob(1000);
    const ending = jobEvent(orphan, 'job_completed', { rating: 4, review: null, auto: false });
    await fixture.publish(ending);
    const dlq = deadLetterSubject(CONSUMERS.payments.jobSettlement.durable);
    await waitUntil(async () => (await fixture.streamCount(dlq, STREAMS.deadLetter.name)) >= 1);
    const manager = await jetstreamManager(fixture.bus.connection);
    const copy = await manager.streams.getMessage(STREAMS.deadLetter.name, { last_by_subj: dlq });
    expect(copy?.json<EventEnvelope>().id).toBe(ending.id);
    expect(copy?.header.get('x-failure')).toContain('No escrow hold');
    expect(await fixture.holdStatus(orphan.job_id)).toBeUndefined();

    const next = await fundedJob(100);
    await fixture.hold(next);
    await deliver(jobEvent(next, 'job_cancelled', { reason: null }));
    expect(await fixture.holdStatus(next.job_id)).toBe('refunded');
  });

  it('settles a burst of endings (batched by the consumer) once each, even with repeats and a poison event among them', async () => {
    const jobs = await Promise.all(Array.from({ length: 20 }, () => fundedJob(1000)));
    for (const job of jobs) await fixture.hold(job);
    const endings = jobs.map((job, index) => jobEvent(job, index % 2 === 0 ? 'job_completed' : 'job_expired', {}));
    const orphan = jobEvent(newJob(1000), 'job_completed');
    const burst = [...endings.slice(0, 10), orphan, ...endings.slice(10), ...endings.slice(0, 5).map((event) => ({ ...event, id: uuidv7() }))];
    await Promise.all(burst.map((event) => fixture.publish(event)));
    await fixture.settled([...endings, ...burst.slice(-5)]);
    for (const [index, job] of jobs.entries()) {
      const completed = index % 2 === 0;
      expect(await fixture.holdStatus(job.job_id)).toBe(completed ? 'released' : 'refunded');
      expect((await fixture.wallet(fixture.agent(job.worker_agent_id))).balances[0]?.available).toBe(completed ? '9.75' : '0.00');
      expect((await fixture.wallet(fixture.agent(job.client_agent_id))).balances[0]?.available).toBe(completed ? '0.00' : '10.00');
    }
    expect(await count('select count(*) as n from payments.hold_settlements where hold_id in (?)', [jobs.map((job) => job.job_id)])).toBe(20);
    expect(await fixture.checkLedger()).toEqual([]);
  });

  it('acknowledges the job events that move no money without recording them', async () => {
    const job = await fundedJob(100);
    await fixture.hold(job);
    const quiet = [jobEvent(job, 'job_created', { input_data: {} }), jobEvent(job, 'job_started'), jobEvent(job, 'job_delivered'), jobEvent(job, 'revision_requested')];
    for (const event of quiet) await fixture.publish(event);
    await deliver(jobEvent(job, 'job_failed', { reason: 'stuck' }));
    expect(await count('select count(*) as n from payments.inbox where event_id in (?)', [quiet.map((event) => event.id)])).toBe(0);
    expect(await fixture.holdStatus(job.job_id)).toBe('refunded');
  });

  it('leaves a sound ledger behind', async () => {
    expect(await fixture.checkLedger()).toEqual([]);
  });
});
