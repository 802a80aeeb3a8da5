import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, eventually, type ApiClient } from '@agentmarket/testing';
import { startFaultMarket, type FaultMarket } from './fault-market.ts';
import { postgresProcessIds } from './postgres-processes.ts';

let market: FaultMarket;
let api: ApiClient;

beforeAll(async () => {
  market = await startFaultMarket();
  api = apiClient(market.stack.gatewayUrl);
});
afterAll(async () => market?.stop());

/** Stops every Postgres process now; the returned function lets them go on. */
async function freeze(dataDir: string): Promise<() => void> {
  const pids = await postgresProcessIds(dataDir);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return () => {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  };
}

/**
 * A registration's answer holds the agent's key, which is shown once and never stored: the retry of a
 * registration that did commit gets 409 `key_already_issued` naming the agent, never the key again and never
 * a second agent. The retry may also arrive before the first attempt commits, and then it is the one that
 * registers (201).
 */
it('a keyed registration cut off by a frozen Postgres answers 503, and its retry makes no second agent: one agent, one grant, no key replayed', async () => {
  const name = `Frozen-${Date.now()}`;
  const body = { name, capabilities: ['testing'] };
  const headers = { 'idempotency-key': `register-${name}` };
  // The identity service holds a pooled connection: warm it so the command blocks on Postgres, not on a connect.
  expect((await api('GET', '/api/agents?limit=1')).status).toBe(200);

  const thaw = await freeze(market.postgresDataDir);
  let first;
  try {
    first = await api('POST', '/api/agents', { body, headers });
  } finally {
    // Five seconds in all, as the issue describes it; the answer above comes after BUS_TIMEOUT_MS (3 s).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    thaw();
  }
  expect(first.status, JSON.stringify(first.body)).toBe(503);
  expect(first.body.error.code).toBe('unavailable');
  expect(first.headers.get('retry-after')).toBeTruthy();

  // The client retries with the same key and body until the market answers.
  const retried = await eventually(
    () => api('POST', '/api/agents', { body, headers }),
    (response) => response.status !== 503,
    30_000,
    250,
  );
  const registeredId: string =
    retried.status === 201 ? retried.body.agent_id : retried.body.error?.details?.agent_id;
  if (retried.status === 201) {
    expect(retried.body.api_key).toMatch(/^agmkt_sk_/);
  } else {
    expect(retried.status, JSON.stringify(retried.body)).toBe(409);
    expect(retried.body.error.code).toBe('key_already_issued');
    expect(JSON.stringify(retried.body)).not.toMatch(/agmkt_sk_/);
  }
  // Once it has an answer, the same key never registers again nor shows a key again.
  const again = await api('POST', '/api/agents', { body, headers });
  expect(again.status, JSON.stringify(again.body)).toBe(409);
  expect(again.body.error.code).toBe('key_already_issued');
  expect(JSON.stringify(again.body)).not.toMatch(/agmkt_sk_/);

  const db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
  try {
    const agents = await db.query<{ id: string }>('select id::text from identity.agents where name = $1', [name]);
    expect(agents.rows).toHaveLength(1);
    const agentId = agents.rows[0]!.id;
    if (registeredId) expect(agentId).toBe(registeredId);
    // The starter grant arrives once, for the one agent.
    await eventually(
      () => db.query<{ n: number }>('select count(*)::int as n from payments.transfers where id = $1', [`grant:${agentId}:USD`]),
      (result) => result.rows[0]?.n === 1,
      20_000,
    );
    const grants = await db.query<{ n: number }>(
      `select count(*)::int as n from payments.transfers t join payments.accounts a on a.id = t.credit_account_id
       where t.kind = 'grant' and a.owner_key like $1`,
      [`%${agentId}%`],
    );
    expect(grants.rows[0]?.n).toBe(1);
  } finally {
    await db.end();
  }
});
