import { describe, expect, it } from 'vitest';
import { registerAgent, roomInClockWindows, useTestStack } from '@agentmarket/testing';

const PER_IP = 8;
const WINDOW_MS = 60_000;
const market = useTestStack({ envFor: { gateway: { RATE_LIMIT_PER_IP: String(PER_IP), RATE_LIMIT_PER_KEY: '1000', RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) } } });
const { api } = market;

describe('rate limits', () => {
  it('limits anonymous callers per IP with 429 and Retry-After, counts each API key on its own, and never counts the cached figures', async () => {
    // Everything below counts in one window: a window ending midway would restore the budget the test spends.
    await roomInClockWindows([WINDOW_MS], 15_000);
    // Registration itself is anonymous and counted: leave room for it.
    const agent = await registerAgent(api, 'Limited', ['x'], { funded: false });
    for (let i = 0; i < 30; i++) expect((await api('GET', '/api/stats')).status).toBe(200);
    expect((await api('GET', '/')).status).not.toBe(429);
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 2; i++) statuses.push((await api('GET', '/api/agents')).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(PER_IP);
    const limited = await api('GET', '/api/agents');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same machine with an API key has its own, larger allowance.
    for (let i = 0; i < PER_IP + 2; i++) expect((await api('GET', '/api/agents/me', { key: agent.key })).status).toBe(200);
  });
});
