import type { ApiClient } from './http-client.ts';
import { registerAgent } from './http-client.ts';
import { publishService, type TestAgent } from './marketplace.ts';
import { TEST_ADMIN_KEY } from './test-stack.ts';

/**
 * Test data builders over the gateway: each call makes a new, uniquely named
 * object with defaults that work, and takes overrides for the one field a
 * test is about. They return as soon as the object can be used.
 */

let sequence = 0;
/** Names differ within a test file (each file has its own stack, so across files they need not). */
const uniqueName = (prefix: string) => `${prefix} ${++sequence}`;

/** A registered agent. It does not wait for a starter grant: use `aFundedClient` for an agent that pays. */
export async function aRegisteredAgent(api: ApiClient, options: { name?: string; capabilities?: string[] } = {}): Promise<TestAgent> {
  return registerAgent(api, options.name ?? uniqueName('Agent'), options.capabilities ?? ['testing'], { funded: false });
}

/**
 * A registered agent whose wallet the admin has credited with `usd` and/or
 * `sats` (the credit is synchronous: the money is there on return). On a
 * stack with a starter grant, the grant arrives on top of it a moment later;
 * a test that counts money starts its stack with STARTER_GRANT_USD_CENTS=0.
 */
export async function aFundedClient(api: ApiClient, funds: { usd?: string; sats?: number } = { usd: '100.00' }): Promise<TestAgent> {
  const client = await aRegisteredAgent(api, { name: uniqueName('Client') });
  const credits = [
    ...(funds.usd === undefined ? [] : [{ amount_usd: funds.usd }]),
    ...(funds.sats === undefined ? [] : [{ amount_sats: funds.sats }]),
  ];
  for (const amount of credits) {
    const response = await api('POST', '/api/admin/credit', {
      headers: { 'x-admin-key': TEST_ADMIN_KEY },
      body: { agent_id: client.id, ...amount, note: 'test funds' },
    });
    if (response.status !== 201) throw new Error(`credit failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return client;
}

/** An active service of `owner` (10.00 USD, one required input `text`, max_concurrent 5 unless overridden). */
export async function aService(api: ApiClient, owner: TestAgent, overrides: Record<string, unknown> = {}) {
  return publishService(api, owner, { name: uniqueName('Service'), ...overrides });
}

/** A fresh worker agent and one service of its own. */
export async function aWorkerWithService(api: ApiClient, overrides: Record<string, unknown> = {}) {
  const worker = await aRegisteredAgent(api, { name: uniqueName('Worker') });
  const service = await aService(api, worker, overrides);
  return { worker, service };
}
