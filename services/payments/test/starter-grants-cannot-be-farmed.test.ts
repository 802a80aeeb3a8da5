import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7, type EventEnvelope } from '@agentmarket/contracts';
import { agentRegistered } from './registration-events.ts';
import { startPaymentsFixture, type PaymentsFixture } from './payments-fixture.ts';

// A small policy: 10.00 USD per agent, 50.00 USD a day in all, 3 grants per address a day; no SAT grants.
const POLICY = {
  STARTER_GRANT_USD_CENTS: 1000,
  STARTER_GRANT_SATS: 0,
  STARTER_GRANT_DAILY_BUDGET_USD_CENTS: 5000,
  STARTER_GRANT_DAILY_BUDGET_SATS: 0,
  STARTER_GRANTS_PER_IP_PER_DAY: 3,
};

let fixture: PaymentsFixture;
beforeAll(async () => {
  fixture = await startPaymentsFixture(POLICY);
});
afterAll(async () => fixture?.stop());

const registeredFrom = (originIp: string) => agentRegistered({ originIp });

async function usdOf(event: EventEnvelope): Promise<string | undefined> {
  const wallet = await fixture.wallet(fixture.agent(event.aggregate_id));
  return wallet.balances.find((balance) => balance.currency === 'USD')?.available as string | undefined;
}

const granted = async (events: EventEnvelope[]) => (await Promise.all(events.map(usdOf))).filter((usd) => usd === '10.00').length;

async function registerAll(events: EventEnvelope[]): Promise<void> {
  await Promise.all(events.map((event) => fixture.publish(event)));
  await fixture.settled(events);
}

describe('starter grants that cannot be farmed', () => {
  it('grants only the per-address count of registrations from one address a day', async () => {
    const farm = Array.from({ length: 6 }, () => registeredFrom('203.0.113.50'));
    await registerAll(farm);
    expect(await granted(farm)).toBe(3);
  });

  it('stops every grant once the day’s budget is spent, whichever addresses register', async () => {
    // 30.00 of the 50.00 are gone (the farm above): two more grants fit, from any addresses.
    const crowd = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'].map(registeredFrom);
    await registerAll(crowd);
    expect(await granted(crowd)).toBe(2);
    const [spent] = await fixture.sql<{ granted: string }>("select granted from payments.starter_grant_budget where currency = 'USD'");
    expect(Number(spent?.granted)).toBe(5000);
  });

  it('counts a redelivered registration once: no second grant, no second count', async () => {
    const late = registeredFrom('192.0.2.77');
    // The day's budget is spent, so no grant either way: what is watched is the counters. New message ids get past the stream's duplicate window.
    await fixture.publish(late);
    await fixture.publish(late, uuidv7());
    await fixture.publish(late, uuidv7());
    await fixture.settled([late]);
    const [origin] = await fixture.sql<{ grants: number }>("select grants from payments.starter_grant_origins where origin_ip = '192.0.2.77'");
    expect(origin?.grants).toBe(1);
    const [spent] = await fixture.sql<{ granted: string }>("select granted from payments.starter_grant_budget where currency = 'USD'");
    expect(Number(spent?.granted)).toBe(5000);
    const grants = await fixture.sql<{ n: string }>("select count(*) as n from payments.transfers where kind = 'grant'");
    expect(Number(grants[0]?.n)).toBe(5);
  });
});
