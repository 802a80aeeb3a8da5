import pg from 'pg';
import { pino } from 'pino';
import type { NatsConnection } from '@nats-io/transport-node';
import { SUBJECTS, type TipView } from '@agentmarket/contracts';
import { BusClient, connectBus } from '@agentmarket/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, aFundedClient, aService, aRegisteredAgent, eventually, hireService, jobAction, useTestStack, ledgerProblemsIn, type TestAgent } from '@agentmarket/testing';

/**
 * Tips through the gateway on a whole market: the client of a completed (or
 * resolved) job sends its worker money from its wallet, the platform's fee
 * taken off as on a payout (2.5 %, at least 0.05 USD here), exactly
 * once per Idempotency-Key; the job stays as it is, and the tip is one
 * history row, one event, one inbox message and one activity row.
 */
const market = useTestStack({
  env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' },
  // The production minimum fee (the harness turns it off): a tip below it would pay the worker nothing.
  envFor: { payments: { PLATFORM_MIN_FEE_USD_CENTS: '5' } },
});
const { api } = market;

let worker: TestAgent;
let db: pg.Client | undefined;
let connection: NatsConnection | undefined;
let bus: BusClient | undefined;

beforeAll(async () => {
  worker = await aRegisteredAgent(api);
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
  // Below the gateway (whose stored answers would hide it): the jobs service's own once-per-key.
  connection = await connectBus({ servers: market.stack.natsUrl, name: 'tips-test', logger: pino({ level: 'silent' }) });
  bus = new BusClient(connection, 20_000);
});
afterAll(async () => {
  await connection?.close();
  await db?.end();
});

const usdAvailable = async (agent: TestAgent) => {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  return (wallet.body.balances as { currency: string; available: string }[]).find((balance) => balance.currency === 'USD')?.available ?? '0.00';
};
const tip = (actor: TestAgent, jobId: string, body: unknown, idempotencyKey?: string) =>
  api('POST', `/api/jobs/${jobId}/tip`, { key: actor.key, body, ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}) });


/** A job of 10.00 USD, delivered and completed; the client has `funds` before the hire. */
async function aCompletedJob(funds = '100.00') {
  const client = await aFundedClient(api, { usd: funds });
  const service = await aService(api, worker);
  const job = await hireService(api, client, service.id);
  expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'done' })).status).toBe(200);
  expect((await jobAction(api, client, job.id, 'complete', { rating: 5 })).status).toBe(200);
  return { client, job };
}

describe('tips', () => {
  it('moves the tip from the client to the worker, less the fee, once per Idempotency-Key', async () => {
    const { client, job } = await aCompletedJob();
    // The escrow settles on its own consumer: wait for the worker's payout before counting.
    const workerBefore = await eventually(() => usdAvailable(worker), (available) => Number(available) >= 9.75);
    const clientBefore = await usdAvailable(client);
    expect(clientBefore).toBe('90.00');

    const first = await tip(client, job.id, { amount_usd: '2.00' }, 'tip-key-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ job_id: job.id, currency: 'USD', amount_usd: '2.00', amount_sats: null, fee_usd: '0.05', fee_sats: null });
    const again = await tip(client, job.id, { amount_usd: '2.00' }, 'tip-key-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);

    expect(await usdAvailable(client)).toBe('88.00');
    expect(await usdAvailable(worker)).toBe((Number(workerBefore) + 1.95).toFixed(2));

    // The job is untouched: still completed, one history row and one event for the tip.
    const read = await api('GET', `/api/jobs/${job.id}`, { key: client.key });
    expect(read.body.status).toBe('completed');
    const history = (await api('GET', `/api/jobs/${job.id}/history`, { key: client.key })).body.data as { event: string; from: string; to: string; details: Record<string, unknown> }[];
    expect(history.filter((entry) => entry.event === 'tip')).toEqual([
      expect.objectContaining({ from: 'completed', to: 'completed', details: { tip_id: first.body.id, tip_amount: 200, tip_fee_amount: 5 } }),
    ]);
    const inbox = await eventually(
      async () => (await api('GET', `/api/inbox?job_id=${job.id}`, { key: worker.key })).body.messages as { message_type: string; content: Record<string, unknown> }[],
      (messages) => messages.some((message) => message.message_type === 'job_tipped'),
    );
    expect(inbox.filter((message) => message.message_type === 'job_tipped')).toHaveLength(1);
    expect(inbox.find((message) => message.message_type === 'job_tipped')?.content).toMatchObject({ tip_amount: 200, tip_fee_amount: 5 });
    const activity = await eventually(
      async () => (await api('GET', `/api/activity?job_id=${job.id}`)).body.data as { type: string }[],
      (entries) => entries.some((entry) => entry.type === 'job_tipped'),
    );
    expect(activity.filter((entry) => entry.type === 'job_tipped')).toHaveLength(1);

    // Another key is another tip.
    expect((await tip(client, job.id, { amount_usd: '1.00' }, 'tip-key-2')).status).toBe(201);
    expect(await usdAvailable(client)).toBe('87.00');
    expect(await ledgerProblemsIn(market.stack.databaseUrl)).toEqual([]);
  });

  it('refuses the worker, an open job, the wrong currency, a tip the fee would swallow, and a client who cannot pay', async () => {
    const { client, job } = await aCompletedJob('10.50');
    const forbidden = await tip(worker, job.id, { amount_usd: '1.00' });
    expect(forbidden.status).toBe(403);
    const sats = await tip(client, job.id, { amount_sats: 500 });
    expect(sats.status).toBe(400);
    expect(sats.body.error).toMatchObject({ code: 'validation_failed', details: { reason: 'currency_mismatch' } });
    expect((await tip(client, job.id, { amount_usd: '1.00', amount_sats: 5 })).status).toBe(400);
    const tiny = await tip(client, job.id, { amount_usd: '0.05' });
    expect(tiny.status).toBe(400);
    expect(tiny.body.error).toMatchObject({ details: { reason: 'tip_below_minimum_fee' } });

    // 0.50 left after the 10.00 job.
    const broke = await tip(client, job.id, { amount_usd: '5.00' }, 'broke-key');
    expect(broke.status).toBe(402);
    expect(broke.body.error.code).toBe('insufficient_funds');
    expect(await usdAvailable(client)).toBe('0.50');
    // A key keeps its first answer; once the money is there, the tip under a new key goes through.
    const credit = await api('POST', '/api/admin/credit', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { agent_id: client.id, amount_usd: '10.00', note: 'top up' } });
    expect(credit.status).toBe(201);
    expect((await tip(client, job.id, { amount_usd: '5.00' }, 'broke-key')).status).toBe(402);
    expect((await tip(client, job.id, { amount_usd: '5.00' }, 'funded-key')).status).toBe(201);
    expect(await usdAvailable(client)).toBe('5.50');
    expect((await db!.query(`select status from jobs.tips where job_id = $1 order by created_at`, [job.id])).rows).toEqual([{ status: 'recorded' }]);

    const open = await aFundedClient(api);
    const openJob = await hireService(api, open, (await aService(api, worker)).id);
    const early = await tip(open, openJob.id, { amount_usd: '1.00' });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'invalid_transition', details: { from: 'pending', event: 'tip' } });
  });

  it('moves the money once when the same keyed command reaches the jobs service twice, even concurrently', async () => {
    const { client, job } = await aCompletedJob();
    const command = { job_id: job.id, caller: { type: 'agent', id: client.id }, input: { amount_usd: '3.00' }, idempotency_key: 'bus-key' };
    const [one, two] = await Promise.all([bus!.request<TipView>(SUBJECTS.jobs.tip, command), bus!.request<TipView>(SUBJECTS.jobs.tip, command)]);
    const three = await bus!.request<TipView>(SUBJECTS.jobs.tip, command);
    expect(two.id).toBe(one.id);
    expect(three).toEqual(one);
    expect(await usdAvailable(client)).toBe('87.00');
    const history = (await api('GET', `/api/jobs/${job.id}/history`, { key: client.key })).body.data as { event: string }[];
    expect(history.filter((entry) => entry.event === 'tip')).toHaveLength(1);
    const transfers = await db!.query(`select kind, amount from payments.transfers where id in ($1, $2) order by kind`, [`tip:${one.id}`, `tip_fee:${one.id}`]);
    expect(transfers.rows).toEqual([
      { kind: 'tip', amount: '293' },
      { kind: 'tip_fee', amount: '7' },
    ]);
  });

  it('closes the tip window 14 days after completion', async () => {
    const { client, job } = await aCompletedJob();
    await db!.query(`update jobs.jobs set completed_at = now() - interval '14 days 1 minute' where id = $1`, [job.id]);
    const late = await tip(client, job.id, { amount_usd: '1.00' });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'invalid_transition', details: { reason: 'tip_window_closed' } });
    expect(await usdAvailable(client)).toBe('90.00');
  });
});
