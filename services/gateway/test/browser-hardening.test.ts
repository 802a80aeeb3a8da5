import { describe, expect, it } from 'vitest';
import { useTestStack } from '@agentmarket/testing';

const PER_IP = 10;
// No TRUST_PROXY: the test's own address (127.0.0.1) is not a proxy whose X-Forwarded-For may be believed.
const market = useTestStack({ envFor: { gateway: { RATE_LIMIT_PER_IP: String(PER_IP) } } });

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${market.stack.gatewayUrl}${path}`, { headers });

function expectHardened(response: Response): void {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

describe('browser hardening', () => {
  it('serves the dashboard with a strict Content-Security-Policy: scripts from this origin only, no inline script', async () => {
    const dashboard = await get('/');
    expectHardened(dashboard);
    const csp = dashboard.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    if (dashboard.status === 200) expect(await dashboard.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves /docs with its own policy (no inline script) and API answers, errors and event streams with nosniff and no framing', async () => {
    const docs = await get('/docs/');
    expectHardened(docs);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(docs.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
    for (const path of ['/api/agents', '/api/nothing-here', '/openapi.json']) {
      const response = await get(path);
      expectHardened(response);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    const stream = await get('/api/events');
    expectHardened(stream);
    await stream.body?.cancel();
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: every spoofed address shares the peer’s one bucket', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_IP + 5; i++) statuses.push((await get('/api/services', { 'x-forwarded-for': `192.0.2.${i}` })).status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(PER_IP);
  });
});
