import { describe, expect, it } from 'vitest';
import {
  TEST_ADMIN_KEY,
  eventually,
  hireService,
  jobAction,
  publishService,
  registerAgent,
  useTestStack,
  type TestAgent,
} from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;
const admin = { 'x-admin-key': TEST_ADMIN_KEY };

const usd = async (agent: TestAgent) => {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  return wallet.body.balances.find((balance: { currency: string }) => balance.currency === 'USD') as { available: string; held: string };
};

async function deliveredJob(client: TestAgent, worker: TestAgent, overrides: Record<string, unknown> = {}) {
  const service = await publishService(api, worker, overrides);
  const job = await hireService(api, client, service.id);
  expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'done' })).status).toBe(200);
  return job;
}

describe('money follows the job', () => {
  it('the seed agents’ flow: 10.00 USD service, rating 5 → reputation, jobs_completed 1, earned 9.75, client down 10.00', async () => {
    const [client, worker] = await Promise.all([registerAgent(api, 'Seed client'), registerAgent(api, 'Seed worker')]);
    expect(await usd(client)).toEqual({ currency: 'USD', available: '1000.00', held: '0.00' });
    const service = await publishService(api, worker, { price_usd: 10.0 });
    const job = await hireService(api, client, service.id);
    expect(await usd(client)).toMatchObject({ available: '990.00', held: '10.00' });
    await jobAction(api, worker, job.id, 'start');
    await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'result' });
    expect((await jobAction(api, client, job.id, 'complete', { rating: 5, review: 'excellent' })).status).toBe(200);

    const profile = await eventually(
      () => api('GET', `/api/agents/${worker.id}`),
      (response) => response.body.jobs_completed === 1 && response.body.total_earned !== '0.00',
    );
    expect(profile.body.total_earned).toBe('9.75');
    expect(Number(profile.body.reputation_score)).toBeGreaterThan(3.5);
    expect(Number(profile.body.reputation_score)).toBeLessThan(5);
    expect(profile.body.success_rate).toBe(1);
    await eventually(() => usd(client), (balance) => balance.held === '0.00');
    expect(await usd(client)).toMatchObject({ available: '990.00', held: '0.00' });
    expect(await usd(worker)).toMatchObject({ available: '1009.75', held: '0.00' });
    const spender = await eventually(
      () => api('GET', '/api/agents/me', { key: client.key }),
      (response) => response.body.total_spent === '10.00',
    );
    expect(spender.body.jobs_hired).toBe(1);
    const listed = await eventually(
      () => api('GET', `/api/services?agent_id=${worker.id}`),
      (response) => response.body.data[0]?.agent_reputation === profile.body.reputation_score,
    );
    expect(listed.body.data[0].agent_reputation).toBe(profile.body.reputation_score);
    const entries = await api('GET', '/api/wallet/transactions', { key: worker.key });
    expect(entries.body.data.map((entry: { kind: string }) => entry.kind)).toContain('release');
  });

  it('402 when the client cannot pay, and nothing is created', async () => {
    const [client, worker] = await Promise.all([registerAgent(api, 'Poor client'), registerAgent(api, 'Pricey worker')]);
    const service = await publishService(api, worker, { price_usd: '5000.00' });
    const refused = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'x' } } });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe('insufficient_funds');
    expect((await api('GET', '/api/jobs?role=client', { key: client.key })).body.data).toEqual([]);
    expect(await usd(client)).toMatchObject({ available: '1000.00', held: '0.00' });
  });

  it('cancel, fail and expiry refund the client in full', async () => {
    const [client, worker] = await Promise.all([registerAgent(api, 'Refund client'), registerAgent(api, 'Refund worker')]);
    const cancelled = await hireService(api, client, (await publishService(api, worker)).id);
    await jobAction(api, client, cancelled.id, 'cancel', { reason: 'changed my mind' });
    const failed = await hireService(api, client, (await publishService(api, worker)).id);
    await jobAction(api, worker, failed.id, 'start');
    await jobAction(api, worker, failed.id, 'fail', { reason: 'cannot' });
    await hireService(api, client, (await publishService(api, worker, { accept_window_seconds: 1 })).id);
    const settled = await eventually(() => usd(client), (balance) => balance.held === '0.00', 15_000);
    expect(settled.available).toBe('1000.00');
    expect(await usd(worker)).toMatchObject({ available: '1000.00' });
  });

  it('a dispute resolved by an admin splits the escrow by worker_share_pct', async () => {
    const [client, worker] = await Promise.all([registerAgent(api, 'Disputing client'), registerAgent(api, 'Disputed worker')]);
    const job = await deliveredJob(client, worker, { price_usd: '20.00' });
    expect((await jobAction(api, worker, job.id, 'dispute', { reason: 'x' })).status).toBe(403);
    expect((await jobAction(api, client, job.id, 'dispute', { reason: 'Half of it is missing' })).body.status).toBe('disputed');
    await api('POST', `/api/jobs/${job.id}/messages`, { key: worker.key, body: { content: 'The second half was out of scope.' } });
    const noAdmin = await api('POST', `/api/jobs/${job.id}/resolve`, { key: client.key, body: { worker_share_pct: 100, note: 'mine' } });
    expect(noAdmin.status).toBe(403);
    const badKey = await api('POST', `/api/jobs/${job.id}/resolve`, { headers: { 'x-admin-key': 'wrong' }, body: { worker_share_pct: 50, note: 'x' } });
    expect(badKey.status).toBe(401);
    const resolved = await api('POST', `/api/jobs/${job.id}/resolve`, { headers: admin, body: { worker_share_pct: 50, note: 'Half delivered' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    // 10.00 to the worker side: 0.25 fee, 9.75 paid; 10.00 back to the client.
    await eventually(() => usd(client), (balance) => balance.held === '0.00');
    expect(await usd(client)).toMatchObject({ available: '990.00' });
    expect(await usd(worker)).toMatchObject({ available: '1009.75' });
    const history = await api('GET', `/api/jobs/${job.id}/history`, { headers: admin });
    expect(history.body.data.at(-1)).toMatchObject({ event: 'resolve', actor: { type: 'user', id: 'admin-key' } });
  });

  it('an admin credits a wallet once per Idempotency-Key; agents may not', async () => {
    const agent = await registerAgent(api, 'Credited');
    const body = { agent_id: agent.id, amount_usd: '25.50' };
    const headers = { ...admin, 'idempotency-key': `credit-${agent.id}` };
    const first = await api('POST', '/api/admin/credit', { headers, body });
    expect(first.status).toBe(201);
    const again = await api('POST', '/api/admin/credit', { headers, body });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await usd(agent)).toMatchObject({ available: '1025.50' });
    const reused = await api('POST', '/api/admin/credit', { headers, body: { ...body, amount_usd: '99.00' } });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect((await api('POST', '/api/admin/credit', { key: agent.key, body })).status).toBe(403);
    expect((await api('POST', '/api/admin/credit', { headers: admin, body: { agent_id: agent.id, amount_usd: '1.001' } })).status).toBe(400);
  });

  it('stats and graph show the market, each service answering for its own data', async () => {
    const stats = await eventually(
      () => api('GET', '/api/stats'),
      (response) => response.status === 200 && response.body.jobs.by_status.completed >= 1,
    );
    expect(stats.body.agents.total).toBeGreaterThanOrEqual(8);
    expect(stats.body.services.active).toBeGreaterThanOrEqual(1);
    expect(stats.body.volume.find((v: { currency: string }) => v.currency === 'USD')?.amount).toMatch(/^\d+\.\d{2}$/);
    expect(stats.body.fees.find((v: { currency: string }) => v.currency === 'USD')?.amount).not.toBe('0.00');
    expect(stats.body.completion_rate).toBeGreaterThan(0);
    expect(stats.body.average_rating).toBe(5);
    expect(stats.body.top_earners[0]).toMatchObject({ currency: 'USD', name: expect.any(String) });
    const graph = await api('GET', '/api/graph');
    expect(graph.status).toBe(200);
    expect(graph.body.edges.length).toBeGreaterThanOrEqual(1);
    const edge = graph.body.edges[0];
    const ids = graph.body.nodes.map((node: { id: string }) => node.id);
    expect(ids).toContain(edge.source);
    expect(ids).toContain(edge.target);
    expect(graph.body.nodes[0]).toEqual({ id: expect.any(String), name: expect.any(String), reputation_score: expect.any(String) });
  });
});
