import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, eventually, registerAgent, useTestStack } from '@agentmarket/testing';

const market = useTestStack({ envFor: { gateway: { BUS_TIMEOUT_MS: '1000' } } });
const { api } = market;

describe('when identity is down', () => {
  it('answers 503 with Retry-After, then recovers without restarting the gateway', async () => {
    const agent = await registerAgent(api, 'Survivor');
    const identity = market.stack.processes.get('identity');
    await identity?.kill();

    const down = await api('GET', `/api/agents/${agent.id}`);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('unavailable');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    // The checks' details are for operators: the admin credential (or the ops listener).
    const ready = await api('GET', '/readyz', { headers: { 'x-admin-key': TEST_ADMIN_KEY } });
    // The gateway itself is fine: it stays in the load balancer, and reports the service it cannot reach.
    expect(ready.status).toBe(200);
    expect(ready.body.services.identity).not.toBe('ok');
    const register = await api('POST', '/api/agents', { body: { name: 'DuringOutage', capabilities: [] } });
    expect(register.status).toBe(503);

    await identity?.restart();
    // Recovered = answered again. The first answers of a process just started on a loaded machine can miss this
    // file's 1 s BUS_TIMEOUT_MS (and /readyz's 1 s ping), so "again" is awaited rather than expected at once.
    const up = await eventually(() => api('GET', `/api/agents/${agent.id}`), (response) => response.status !== 503, 20_000, 100);
    expect(up.status).toBe(200);
    expect(up.body.name).toBe('Survivor');
    expect((await eventually(() => api('GET', '/readyz'), (response) => response.status !== 503, 20_000, 100)).status).toBe(200);
    expect((await api('GET', '/api/agents?q=DuringOutage')).body.data).toEqual([]);
  });

  it('exposes health, readiness and Prometheus metrics', async () => {
    expect((await api('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const metrics = await fetch(`${market.stack.gatewayUrl}/metrics`, { headers: { 'x-admin-key': TEST_ADMIN_KEY } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_resident_memory_bytes');
    const openapi = await api('GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/api/agents', '/api/agents/{id}', '/api/events']));
  });
});
