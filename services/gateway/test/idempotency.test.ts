import { describe, expect, it } from 'vitest';
import { publishService, registerAgent, useTestStack } from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;

describe('Idempotency-Key', () => {
  it('1,000 identical hires with one key, 50 at a time: one job, one hold, identical responses', async () => {
    const [client, worker] = await Promise.all([registerAgent(api, 'Retrying client'), registerAgent(api, 'Idempotent worker')]);
    const service = await publishService(api, worker, { price_usd: '7.00', max_concurrent: 1000 });
    const body = { service_id: service.id, input_data: { text: 'once' } };
    const headers = { 'idempotency-key': 'hire-once-1' };
    const responses: { status: number; body: unknown }[] = [];
    for (let wave = 0; wave < 20; wave++) {
      responses.push(...(await Promise.all(Array.from({ length: 50 }, () => api('POST', '/api/jobs', { key: client.key, body, headers })))));
    }
    expect(responses.every((response) => response.status === 201)).toBe(true);
    const first = JSON.stringify(responses[0]?.body);
    expect(responses.every((response) => JSON.stringify(response.body) === first)).toBe(true);
    const jobs = await api('GET', '/api/jobs?role=client', { key: client.key });
    expect(jobs.body.data).toHaveLength(1);
    const wallet = await api('GET', '/api/wallet', { key: client.key });
    expect(wallet.body.balances.find((b: { currency: string }) => b.currency === 'USD')).toMatchObject({ available: '993.00', held: '7.00' });
    const holds = (await api('GET', '/api/wallet/transactions', { key: client.key })).body.data.filter((e: { kind: string }) => e.kind === 'hold');
    expect(holds).toHaveLength(1);
  });

  it('the same key with another body is 409; another agent’s same key is its own', async () => {
    const [client, other, worker] = await Promise.all([registerAgent(api, 'A'), registerAgent(api, 'B'), registerAgent(api, 'W')]);
    const service = await publishService(api, worker);
    const headers = { 'idempotency-key': 'shared-key' };
    const first = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'a' } }, headers });
    expect(first.status).toBe(201);
    const changed = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'b' } }, headers });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('idempotency_key_reused');
    const theirs = await api('POST', '/api/jobs', { key: other.key, body: { service_id: service.id, input_data: { text: 'a' } }, headers });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    const bad = await api('POST', '/api/jobs', { key: client.key, body: {}, headers: { 'idempotency-key': 'x'.repeat(201) } });
    expect(bad.status).toBe(400);
  });

  it('replays a transition, and does not repeat a registration (nor show its key again)', async () => {
    const registration = { name: 'Registered once', capabilities: ['x'] };
    const one = await api('POST', '/api/agents', { body: registration, headers: { 'idempotency-key': 'register-1' } });
    const two = await api('POST', '/api/agents', { body: registration, headers: { 'idempotency-key': 'register-1' } });
    expect(one.status).toBe(201);
    expect(two.status).toBe(409);
    expect(two.body.error.code).toBe('key_already_issued');
    expect((await api('GET', '/api/agents?q=Registered%20once')).body.data).toHaveLength(1);
    const [client, worker] = await Promise.all([registerAgent(api, 'C'), registerAgent(api, 'W2')]);
    const service = await publishService(api, worker);
    const job = (await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'x' } } })).body;
    const start = () => api('POST', `/api/jobs/${job.id}/start`, { key: worker.key, headers: { 'idempotency-key': 'start-1' } });
    const [a, b] = [await start(), await start()];
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
    const history = await api('GET', `/api/jobs/${job.id}/history`, { key: client.key });
    expect(history.body.data.filter((t: { event: string }) => t.event === 'start')).toHaveLength(1);
  });
});
