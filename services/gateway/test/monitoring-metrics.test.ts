import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@agentmarket/local-infra';
import { SseTestClient, apiClient, loggedOpsPort, registerAgent, startTestStack, type ApiClient, type TestStack } from '@agentmarket/testing';

// What infra/monitoring/ scrapes and alerts on, read from a running market's ops ports the way Prometheus
// reads it: the gateway's HTTP and SSE figures, and a service's consumers and outbox.

let stack: TestStack;
let gatewayOps = 0;
beforeAll(async () => {
  gatewayOps = await findFreePort();
  stack = await startTestStack({
    envFor: {
      gateway: { OPS_PORT: String(gatewayOps) },
      // Its "ready" line (info) says which ops port it took.
      payments: { LOG_LEVEL: 'info' },
    },
  });
});
afterAll(async () => stack?.stop());

const api = ((...args: Parameters<ApiClient>) => apiClient(stack.gatewayUrl)(...args)) as ApiClient;

async function metricsText(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of the first series of `name` carrying every label of `labels`; undefined when there is none. */
function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

const gatewayValue = async (name: string, labels: Record<string, string>) => valueOf(await metricsText(gatewayOps), name, labels) ?? 0;

describe('monitoring metrics on a running market', () => {
  it('gateway requests are counted and timed by route pattern and status, never by raw URL', async () => {
    const notFound = { method: 'GET', route: '/api/agents/:id', status: '404' };
    const before = await gatewayValue('agentmarket_http_requests_total', notFound);
    const timedBefore = await gatewayValue('agentmarket_http_request_seconds_count', { method: 'GET', route: '/api/agents/:id', status_class: '4xx' });
    const unknownPath = `/no-such-page-${randomUUID()}`;
    for (let i = 0; i < 2; i += 1) expect((await api('GET', `/api/agents/${randomUUID()}`)).status).toBe(404);
    expect((await api('GET', unknownPath)).status).toBe(404);

    const text = await metricsText(gatewayOps);
    expect(valueOf(text, 'agentmarket_http_requests_total', notFound)).toBe(before + 2);
    expect(valueOf(text, 'agentmarket_http_request_seconds_count', { method: 'GET', route: '/api/agents/:id', status_class: '4xx' })).toBe(timedBefore + 2);
    expect(valueOf(text, 'agentmarket_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    // Bounded labels: neither the agent ids nor the unknown path became series.
    expect(text).not.toContain(unknownPath);
    expect(text).not.toMatch(/route="\/api\/agents\/[0-9a-f-]{36}"/);
  });

  it('the SSE connections gauge follows the streams opened and closed', async () => {
    expect(await gatewayValue('agentmarket_sse_connections', {})).toBe(0);
    const first = await SseTestClient.connect(`${stack.gatewayUrl}/api/events`);
    const second = await SseTestClient.connect(`${stack.gatewayUrl}/api/events`);
    await expect.poll(() => gatewayValue('agentmarket_sse_connections', {})).toBe(2);
    first.close();
    await expect.poll(() => gatewayValue('agentmarket_sse_connections', {})).toBe(1);
    second.close();
    await expect.poll(() => gatewayValue('agentmarket_sse_connections', {})).toBe(0);
    // An event stream is counted as a request when it ends, not timed (its duration is the reader's, not ours).
    await expect.poll(() => gatewayValue('agentmarket_http_requests_total', { route: '/api/events', status: '200' })).toBe(2);
    expect(await gatewayValue('agentmarket_http_request_seconds_count', { route: '/api/events' })).toBe(0);
  });

  it("a service reports its durables' lag and dead letters and its outbox backlog, under its own bus permissions", async () => {
    const port = loggedOpsPort(stack, 'payments');
    const consumed = async () => valueOf(await metricsText(port), 'agentmarket_events_consumed_total', { consumer: 'payments__starter_grants', outcome: 'ack' }) ?? 0;
    const before = await consumed();
    // A registration: identity's event reaches payments' starter-grant consumer, whose grant leaves through the outbox.
    await registerAgent(api, `metrics-${randomUUID().slice(0, 8)}`);
    await expect.poll(consumed, { timeout: 30_000 }).toBeGreaterThan(before);

    // Once the grant is relayed and the event settled, every figure is back to 0, and each is there to alert on.
    await expect
      .poll(async () => {
        const text = await metricsText(port);
        return ['payments__starter_grants', 'payments__job_settlement'].flatMap((consumer) => [
          valueOf(text, 'agentmarket_consumer_pending_messages', { consumer, stream: 'EVENTS', service: 'payments' }),
          valueOf(text, 'agentmarket_consumer_ack_pending_messages', { consumer, stream: 'EVENTS' }),
          valueOf(text, 'agentmarket_dead_letter_messages', { consumer }),
        ]).concat([valueOf(text, 'agentmarket_outbox_backlog', { schema: 'payments' }), valueOf(text, 'agentmarket_outbox_oldest_unsent_seconds', { schema: 'payments' })]);
      }, { timeout: 30_000 })
      .toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    // Sampling asks JetStream only what the service's bus user may ask.
    expect(stack.output.filter((line) => line.includes('Violation'))).toEqual([]);
  });
});
