import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@agentmarket/local-infra';
import { SseTestClient, TEST_ADMIN_KEY, apiClient, registerAgent, startTestStack, type ApiClient, type TestStack } from '@agentmarket/testing';

const STREAMS_PER_IP = 2;
const STREAMS_PER_CALLER = 2;
const REQUEST_TIMEOUT_MS = 2000;

let stack: TestStack;
let opsPort = 0;
beforeAll(async () => {
  opsPort = await findFreePort();
  stack = await startTestStack({
    envFor: {
      gateway: {
        SSE_MAX_STREAMS_PER_IP: String(STREAMS_PER_IP),
        SSE_MAX_STREAMS_PER_CALLER: String(STREAMS_PER_CALLER),
        REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        SSE_HEARTBEAT_MS: '500',
        OPS_PORT: String(opsPort),
        // 127.0.0.1 (the test) is a trusted proxy: each case speaks from an address of its own via X-Forwarded-For.
        TRUST_PROXY: '127.0.0.1',
      },
    },
  });
});
afterAll(async () => stack?.stop());

const url = (path: string) => `${stack.gatewayUrl}${path}`;
const apiOf = ((...args: Parameters<ApiClient>) => apiClient(stack.gatewayUrl)(...args)) as ApiClient;
const streams: SseTestClient[] = [];
afterAll(() => streams.forEach((stream) => stream.close()));
const openStream = async (headers: Record<string, string>) => {
  const stream = await SseTestClient.connect(url('/api/events'), headers);
  streams.push(stream);
  return stream;
};

/** One more stream, expected to be refused: the answer of a plain fetch (a refused stream has no "connected" comment). */
async function refusedStream(headers: Record<string, string>) {
  const response = await fetch(url('/api/events'), { headers: { accept: 'text/event-stream', ...headers } });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

describe('connections are bounded', () => {
  it('caps SSE streams per address: one more is 429 too_many_streams with Retry-After; other addresses are unaffected', async () => {
    const address = { 'x-forwarded-for': '198.51.100.1' };
    for (let i = 0; i < STREAMS_PER_IP; i++) expect((await openStream(address)).status).toBe(200);
    const refused = await refusedStream(address);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_streams');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await openStream({ 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
  });

  it('caps SSE streams per verified caller, wherever it connects from; another agent is unaffected', async () => {
    const [capped, other] = await Promise.all([registerAgent(apiOf, 'Streamer', ['x'], { funded: false }), registerAgent(apiOf, 'Other', ['x'], { funded: false })]);
    for (let i = 0; i < STREAMS_PER_CALLER; i++) await openStream({ 'x-agent-key': capped.key, 'x-forwarded-for': `198.51.100.${10 + i}` });
    const refused = await refusedStream({ 'x-agent-key': capped.key, 'x-forwarded-for': '198.51.100.20' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_streams');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await openStream({ 'x-agent-key': other.key, 'x-forwarded-for': '198.51.100.10' })).status).toBe(200);
  });

  it('ends the streams opened with a key when that key is rotated, and frees their slots', async () => {
    const agent = await registerAgent(apiOf, 'Rotator', ['x'], { funded: false });
    const before = await openStream({ 'x-agent-key': agent.key, 'x-forwarded-for': '198.51.100.30' });
    const rotated = await apiOf('POST', '/api/agents/me/keys', { key: agent.key });
    expect(rotated.status).toBe(201);
    await before.ended;
    // Both slots are free again for the new key.
    for (let i = 0; i < STREAMS_PER_CALLER; i++) expect((await openStream({ 'x-agent-key': rotated.body.api_key })).status).toBe(200);
  });

  it('keeps an SSE stream open past REQUEST_TIMEOUT_MS: a stream is a long response, not a slow request', async () => {
    const stream = await openStream({ 'x-forwarded-for': '198.51.100.40' });
    const heartbeats = () => stream.comments.filter((comment) => comment === 'heartbeat').length;
    // The passage of time is the thing under test: heartbeats keep arriving after the request timeout has passed.
    const deadline = Date.now() + REQUEST_TIMEOUT_MS + 1500;
    await expect.poll(() => Date.now() > deadline && heartbeats() > (REQUEST_TIMEOUT_MS + 1500) / 500 - 2, { timeout: 15_000, interval: 100 }).toBe(true);
    let ended = false;
    void stream.ended.then(() => (ended = true));
    await expect.poll(heartbeats, { timeout: 5000 }).toBeGreaterThan(heartbeats());
    expect(ended).toBe(false);
  });

  it('cuts a request whose body stalls: 408 and the socket closed within REQUEST_TIMEOUT_MS (plus the check interval)', async () => {
    const port = Number(new URL(stack.gatewayUrl).port);
    const started = Date.now();
    const outcome = await new Promise<{ answer: string; closedAfterMs: number }>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /api/agents HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"name":');
      });
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('the stalled request was never cut')), 20_000).unref();
    });
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(outcome.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
  });

  it('answers /metrics and the readiness details on the ops port only, or on the API port with the admin credential', async () => {
    const publicMetrics = await fetch(url('/metrics'));
    expect([401, 404]).toContain(publicMetrics.status);
    const adminMetrics = await fetch(url('/metrics'), { headers: { 'x-admin-key': TEST_ADMIN_KEY } });
    expect(adminMetrics.status).toBe(200);
    const opsMetrics = await fetch(`http://127.0.0.1:${opsPort}/metrics`);
    expect(opsMetrics.status).toBe(200);
    expect(await opsMetrics.text()).toContain('process_resident_memory_bytes');

    const publicReady = await fetch(url('/readyz'));
    expect(await publicReady.json()).toEqual({ status: 'ready' });
    const opsReady = (await (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).json()) as any;
    // Readiness is the gateway's own (bus, KV buckets); each service's state is reported beside it.
    expect(opsReady.checks).toMatchObject({ bus: 'ok', 'kv:IDEMPOTENCY': 'ok' });
    expect(opsReady.services).toMatchObject({ identity: 'ok' });
    const adminReady = (await (await fetch(url('/readyz'), { headers: { 'x-admin-key': TEST_ADMIN_KEY } })).json()) as any;
    expect(adminReady.services.identity).toBe('ok');
    expect((await fetch(url('/readyz'), { headers: { 'x-admin-key': 'wrong' } })).status).toBe(401);
  });

  it('shows states in /api/system, never error texts or internal URLs, even while a service is down', async () => {
    const identity = stack.processes.get('identity');
    await identity?.kill();
    try {
      const response = await fetch(url('/api/system'));
      const text = await response.text();
      const system = JSON.parse(text);
      expect(system.services.identity).toMatchObject({ ready: false, state: 'down' });
      expect(system.services.catalog).toMatchObject({ ready: true, state: 'up', database: 'ok' });
      expect(system.counts.services_total).toBeGreaterThan(system.counts.services_up);
      for (const leak of ['nats://', 'postgres://', 'http://', 'timed out', 'Timeout', 'error', 'ECONNREFUSED']) expect(text).not.toContain(leak);
    } finally {
      await identity?.restart();
    }
  });
});
