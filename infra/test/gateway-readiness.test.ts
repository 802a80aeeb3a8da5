import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, eventually, useTestStack } from '@agentmarket/testing';

// A short bus deadline so the dead service's route answers its 503 quickly.
const market = useTestStack({ envFor: { gateway: { BUS_TIMEOUT_MS: '1000' } } });
const { api } = market;

describe('gateway readiness with one service down', () => {
  it('stays ready (200) while catalog is down: only catalog routes answer 503 with Retry-After, other routes 200, and the state is reported', async () => {
    expect((await api('GET', '/readyz')).status).toBe(200);
    await market.stack.processes.get('catalog')?.kill();

    // The dead service's routes: 503 `unavailable` with Retry-After.
    const services = await api('GET', '/api/services');
    expect(services.status).toBe(503);
    expect(services.body.error.code).toBe('unavailable');
    expect(Number(services.headers.get('retry-after'))).toBeGreaterThan(0);

    // Everything else is served as before.
    expect((await api('GET', '/api/agents')).status).toBe(200);
    expect((await api('GET', '/api/activity')).status).toBe(200);

    // The gateway itself stays in the load balancer; its readiness names only what it needs.
    const readyz = await api('GET', '/readyz', { headers: { 'x-admin-key': TEST_ADMIN_KEY } });
    expect(readyz.status).toBe(200);
    expect(Object.keys(readyz.body.checks).sort()).toEqual(['bus', 'kv:IDEMPOTENCY', 'kv:RATE_LIMITS_HOURLY', 'kv:RATE_LIMITS_WINDOW']);
    expect(readyz.body.services.catalog).not.toBe('ok');
    expect(readyz.body.services.identity).toBe('ok');

    // /api/system reports the service down (for the dashboard), still answering 200.
    const system = await api('GET', '/api/system');
    expect(system.status).toBe(200);
    expect(system.body.services.catalog).toMatchObject({ ready: false, state: 'down' });
    expect(system.body.services.identity).toMatchObject({ ready: true, state: 'up' });

    await market.stack.processes.get('catalog')?.restart();
    await eventually(() => api('GET', '/api/services'), (response) => response.status === 200, 20_000, 100);
  });
});
