import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7, type LedgerEntryView, type WalletOwner } from '@agentmarket/contracts';
import { jobEvent, newJob } from './job-events.ts';
import { agentRegistered } from './registration-events.ts';
import { errorCode, startPaymentsFixture, waitUntil, type PaymentsFixture } from './payments-fixture.ts';

let fixture: PaymentsFixture;
beforeAll(async () => {
  fixture = await startPaymentsFixture({ STARTER_GRANT_USD_CENTS: 10_000, STARTER_GRANT_SATS: 1_000_000 });
});
afterAll(async () => fixture?.stop());

/** Every entry of an owner's ledger, following next_cursor, and the page sizes seen. */
async function allEntries(owner: WalletOwner, query: Record<string, unknown>): Promise<{ entries: LedgerEntryView[]; pages: number[] }> {
  const entries: LedgerEntryView[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await fixture.transactions(owner, cursor ? { ...query, cursor } : query);
    entries.push(...page.data);
    pages.push(page.data.length);
    cursor = page.next_cursor;
  } while (cursor !== null && pages.length < 50);
  return { entries, pages };
}

describe('credits', () => {
  it('credits a wallet once per transfer id, and refuses the same id for another credit', async () => {
    const owner = fixture.agent(uuidv7());
    const transferId = `credit:${uuidv7()}`;
    const first = await fixture.credit(owner, 'USD', 2550, transferId);
    expect(first).toEqual({ transfer_id: transferId, wallet: { owner, balances: [{ currency: 'USD', available: '25.50', held: '0.00' }, { currency: 'SAT', available: 0, held: 0 }] } });
    expect(await fixture.credit(owner, 'USD', 2550, transferId)).toEqual(first);
    expect(await errorCode(fixture.credit(owner, 'USD', 9999, transferId))).toBe('conflict');
    expect(await errorCode(fixture.credit(fixture.agent(uuidv7()), 'USD', 2550, transferId))).toBe('conflict');
    const rows = await fixture.sql<{ n: string }>('select count(*) as n from payments.transfers where id = ?', [transferId]);
    expect(Number(rows[0]?.n)).toBe(1);
    const events = await fixture.publishedEvents(owner.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'wallet_credited', data: { agent_id: owner.id, currency: 'USD', amount: 2550, transfer_id: transferId } });
  });

  it('credits people as well as agents', async () => {
    const person: WalletOwner = { type: 'user', id: uuidv7() };
    const credited = await fixture.credit(person, 'SAT', 42);
    expect(credited.wallet).toEqual({ owner: person, balances: [{ currency: 'USD', available: '0.00', held: '0.00' }, { currency: 'SAT', available: 42, held: 0 }] });
    expect((await fixture.publishedEvents(person.id))[0]?.data).toMatchObject({ user_id: person.id, amount: 42 });
  });

  it('refuses a credit that is not a positive integer of minor units', async () => {
    expect(await errorCode(fixture.credit(fixture.agent(uuidv7()), 'USD', 0))).toBe('validation_failed');
    expect(await errorCode(fixture.credit(fixture.agent(uuidv7()), 'USD', 1.5))).toBe('validation_failed');
  });
});

describe('starter grants', () => {
  it('gives a newly registered agent its grant in both currencies, once', async () => {
    const agentId = uuidv7();
    const registered = agentRegistered({ agentId });
    await fixture.publish(registered);
    await fixture.publish(registered, uuidv7());
    await waitUntil(async () => (await fixture.wallet(fixture.agent(agentId))).balances[1]?.available === 1_000_000);
    // A second registration event for the same agent (a replayed stream) grants nothing more.
    const replay = agentRegistered({ agentId });
    await fixture.publish(replay);
    await fixture.settled([replay]);
    expect((await fixture.wallet(fixture.agent(agentId))).balances).toEqual([
      { currency: 'USD', available: '100.00', held: '0.00' },
      { currency: 'SAT', available: 1_000_000, held: 0 },
    ]);
    const entries = (await fixture.transactions(fixture.agent(agentId))).data;
    expect(entries.map((entry) => [entry.transfer_id, entry.kind, entry.amount])).toEqual([
      [`grant:${agentId}:SAT`, 'grant', 1_000_000],
      [`grant:${agentId}:USD`, 'grant', '100.00'],
    ]);
    expect((await fixture.publishedEvents(agentId)).map((event) => [event.type, event.data.currency])).toEqual([
      ['wallet_credited', 'USD'],
      ['wallet_credited', 'SAT'],
    ]);
  });
});

describe('transactions', () => {
  it('lists every transfer touching the owner, newest first, signed from its side, page by page', async () => {
    const client = uuidv7();
    const owner = fixture.agent(client);
    await fixture.credit(owner, 'USD', 10_000);
    await fixture.credit(owner, 'SAT', 5000);
    const jobs = Array.from({ length: 6 }, () => newJob(1000, 'USD', { client_agent_id: client }));
    for (const job of jobs) await fixture.hold(job);
    const completed = jobEvent(jobs[0]!, 'job_completed', { rating: 5, review: null, auto: false });
    const cancelled = jobEvent(jobs[1]!, 'job_cancelled', { reason: null });
    await fixture.publish(completed);
    await fixture.publish(cancelled);
    await fixture.settled([completed, cancelled]);

    const { entries, pages } = await allEntries(owner, { limit: 3 });
    expect(pages).toEqual([3, 3, 3]);
    expect(entries.map((entry) => [entry.kind, entry.amount, entry.job_id])).toEqual([
      ['refund', '10.00', jobs[1]!.job_id],
      ...jobs
        .slice()
        .reverse()
        .map((job) => ['hold', '-10.00', job.job_id]),
      ['credit', 5000, null],
      ['credit', '100.00', null],
    ]);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    expect((await allEntries(owner, { limit: 100, currency: 'SAT' })).entries.map((entry) => entry.amount)).toEqual([5000]);

    const worker = fixture.agent(jobs[0]!.worker_agent_id);
    expect((await fixture.transactions(worker)).data.map((entry) => [entry.kind, entry.amount])).toEqual([['release', '9.75']]);
    expect(await fixture.transactions(fixture.agent(uuidv7()))).toEqual({ data: [], next_cursor: null });
    expect(await errorCode(fixture.transactions(owner, { cursor: 'not-a-cursor' }))).toBe('validation_failed');
  });
});

describe('stats', () => {
  it('reports settled volume, platform fees, escrow and the top earners per currency', async () => {
    const before = await fixture.stats();
    const star = uuidv7();
    const client = uuidv7();
    await fixture.credit(fixture.agent(client), 'USD', 1_000_000);
    const jobs = [newJob(400_000, 'USD', { client_agent_id: client, worker_agent_id: star }), newJob(400_000, 'USD', { client_agent_id: client, worker_agent_id: star }), newJob(1000, 'USD', { client_agent_id: client })];
    for (const job of jobs) await fixture.hold(job);
    const endings = [jobEvent(jobs[0]!, 'job_completed', { rating: 5 }), jobEvent(jobs[1]!, 'job_completed', { rating: 5 })];
    for (const ending of endings) await fixture.publish(ending);
    await fixture.settled(endings);

    const stats = await fixture.stats();
    const usd = <T extends { currency: string; amount: number }>(list: T[]) => list.find((entry) => entry.currency === 'USD')?.amount ?? 0;
    expect(usd(stats.volume) - usd(before.volume)).toBe(800_000);
    expect(usd(stats.fees) - usd(before.fees)).toBe(20_000);
    expect(usd(stats.held) - usd(before.held)).toBe(1000);
    expect(stats.top_earners[0]).toEqual({ agent_id: star, currency: 'USD', amount: 780_000 });
    expect(stats.top_earners.filter((earner) => earner.currency === 'USD').length).toBeLessThanOrEqual(10);
    expect(stats.volume.map((entry) => entry.currency)).toEqual(['USD', 'SAT']);
  });
});

describe('the ledger check', () => {
  it('passes on a sound ledger and names a balance changed behind the ledger’s back', async () => {
    expect(await fixture.checkLedger()).toEqual([]);
    const owner = uuidv7();
    await fixture.credit(fixture.agent(owner), 'USD', 500);
    await fixture.sql(`update payments.accounts set balance = balance + 1 where owner_key = ? and currency = 'USD'`, [`agent:${owner}`]);
    try {
      const problems = await fixture.checkLedger();
      expect(problems).toContain('USD: the balances of all accounts sum to 1, not 0');
      expect(problems).toContain(`agent:${owner} USD: balance 501, but its transfers add up to 500`);
    } finally {
      await fixture.sql(`update payments.accounts set balance = balance - 1 where owner_key = ? and currency = 'USD'`, [`agent:${owner}`]);
    }
    expect(await fixture.checkLedger()).toEqual([]);
  });

  it('names a hold whose status disagrees with its settlement', async () => {
    const job = newJob(300);
    await fixture.credit(fixture.agent(job.client_agent_id), 'USD', 300);
    await fixture.hold(job);
    await fixture.sql(`update payments.holds set status = 'released', settled_at = now() where hold_id = ?`, [job.job_id]);
    try {
      const problems = await fixture.checkLedger();
      expect(problems).toContain(`hold ${job.job_id} (released): settled without a settlement row`);
      expect(problems).toContain('USD: escrow holds ' + (await escrowBalance()) + ', but the holds still held add up to ' + ((await escrowBalance()) - 300));
    } finally {
      await fixture.sql(`update payments.holds set status = 'held', settled_at = null where hold_id = ?`, [job.job_id]);
    }
    expect(await fixture.checkLedger()).toEqual([]);
  });

  it('cannot be fooled by rewriting history: transfers and settlements reject updates and deletes, and a hold settles once', async () => {
    const job = newJob(200);
    await fixture.credit(fixture.agent(job.client_agent_id), 'USD', 200);
    await fixture.hold(job);
    const ending = jobEvent(job, 'job_expired');
    await fixture.publish(ending);
    await fixture.settled([ending]);
    await expect(fixture.sql('update payments.transfers set amount = 1 where hold_id = ?', [job.job_id])).rejects.toThrow(/append-only/);
    await expect(fixture.sql('delete from payments.transfers where hold_id = ?', [job.job_id])).rejects.toThrow(/append-only/);
    await expect(fixture.sql('delete from payments.hold_settlements where hold_id = ?', [job.job_id])).rejects.toThrow(/append-only/);
    await expect(
      fixture.sql(`insert into payments.hold_settlements (hold_id, kind, worker_amount, client_amount, fee_amount) values (?, 'release', 200, 0, 0)`, [job.job_id]),
    ).rejects.toThrow(/duplicate key/);
    await expect(fixture.sql(`update payments.accounts set balance = -1 where owner_key = ?`, [`agent:${job.client_agent_id}`])).rejects.toThrow(/accounts_balance_non_negative/);
    expect(await fixture.checkLedger()).toEqual([]);
  });
});

async function escrowBalance(): Promise<number> {
  const rows = await fixture.sql<{ balance: string }>(`select balance from payments.accounts where owner_key = 'escrow' and currency = 'USD'`);
  return Number(rows[0]?.balance);
}
