import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { agentRegistered } from './registration-events.ts';
import { errorCode, startPaymentsFixture, waitUntil, type PaymentsFixture } from './payments-fixture.ts';

// 10.00 USD per new agent; the policy's limits out of the way.
let fixture: PaymentsFixture;
beforeAll(async () => {
  fixture = await startPaymentsFixture({ STARTER_GRANT_USD_CENTS: 1000, STARTER_GRANT_SATS: 0 });
});
afterAll(async () => fixture?.stop());

const registeredFrom = (originIp: string) => agentRegistered({ originIp });

/**
 * A transaction of the test's own holding an address's grant counter for
 * the event's day, so that the consumer's grant for that address waits
 * where the test wants it to, until release().
 */
async function holdGrantCounter(event: EventEnvelope, originIp: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: fixture.databaseUrl, application_name: 'race-test-hold' });
  await client.connect();
  await client.query('begin');
  await client.query('insert into payments.starter_grant_origins (day, origin_ip, grants) values ($1::date, $2, 0)', [event.occurred_at.slice(0, 10), originIp]);
  return {
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}

/** Backends of the service's database waiting for a lock that another transaction holds. */
async function lockWaiters(): Promise<number> {
  const [row] = await fixture.sql<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
  return row?.n ?? 0;
}

async function usdOf(agentId: string): Promise<string | undefined> {
  const wallet = await fixture.wallet(fixture.agent(agentId));
  return wallet.balances.find((balance) => balance.currency === 'USD')?.available as string | undefined;
}

describe('an admin credit racing the starter grants', () => {
  it('credits an agent whose grant waits in the same batch as an earlier grant, with no deadlock and no retry', async () => {
    // The world's account exists, as in any market that has taken money in before.
    await fixture.credit(fixture.agent(uuidv7()), 'USD', 1);
    const [first, earlier, raced] = [registeredFrom('198.51.100.10'), registeredFrom('198.51.100.11'), registeredFrom('198.51.100.12')];

    // `first` is stopped at its grant counter, and `earlier` and `raced` queue up behind it: they form the next batch.
    const firstHeld = await holdGrantCounter(first, '198.51.100.10');
    const racedHeld = await holdGrantCounter(raced, '198.51.100.12');
    await fixture.publish(first);
    await waitUntil(async () => (await lockWaiters()) === 1);
    await fixture.publish(earlier);
    await fixture.publish(raced);
    await waitUntil(async () => (await fixture.unacknowledged(CONSUMERS.payments.starterGrants.durable)) === 3);
    await firstHeld.release();
    await waitUntil(async () => (await usdOf(first.aggregate_id)) === '10.00');

    // The batch of `earlier` and `raced` now waits at raced's counter, and an admin credits `raced` meanwhile.
    await waitUntil(async () => (await lockWaiters()) === 1);
    let creditDone = false;
    const credit = errorCode(fixture.credit(fixture.agent(raced.aggregate_id), 'USD', 500)).finally(() => {
      creditDone = true;
    });
    await waitUntil(async () => creditDone || (await lockWaiters()) === 2);
    await racedHeld.release();

    expect(await credit).toBe('resolved');
    await fixture.settled([earlier, raced]);
    expect(await usdOf(earlier.aggregate_id)).toBe('10.00');
    expect(await usdOf(raced.aggregate_id)).toBe('15.00');
    expect(await fixture.checkLedger()).toEqual([]);
  });
});
