import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiClient, roomInClockWindows, useTestStack, type ApiClient, type ApiResponse } from '@agentmarket/testing';

const REGISTRATIONS_PER_HOUR = 20;
const PER_IP = 60;
const PER_CALLER = 30;
/**
 * The limits count in fixed windows of the clock (RATE_LIMIT_WINDOW_MS, and the hour for registrations): a flood
 * that straddles the end of one is counted in two, with two budgets. A long request window makes that rare, and
 * each flood starts in a window with at least FLOOD_ROOM_MS left (waiting for the next one otherwise).
 */
const WINDOW_MS = 600_000;
const HOUR_MS = 3_600_000;
const FLOOD_ROOM_MS = 30_000;
// 127.0.0.1 (the test) is a trusted proxy here, so each case speaks from an address of its own via X-Forwarded-For
// and no case spends another's budget. (That an untrusted peer's X-Forwarded-For is ignored: browser-hardening.test.ts.)
const GATEWAY_ENV = {
  REGISTRATIONS_PER_IP_PER_HOUR: String(REGISTRATIONS_PER_HOUR),
  RATE_LIMIT_PER_IP: String(PER_IP),
  RATE_LIMIT_PER_KEY: String(PER_CALLER),
  RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
  TRUST_PROXY: '127.0.0.1',
};
const market = useTestStack({ envFor: { gateway: GATEWAY_ENV } });
const { api } = market;

const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });
const madeUpKey = () => `agmkt_sk_${randomBytes(32).toString('hex')}`;

/** Runs `count` calls, `concurrency` at a time, within one window of each limit, and returns every answer. */
async function flood(count: number, concurrency: number, call: (index: number) => Promise<ApiResponse>): Promise<ApiResponse[]> {
  await roomInClockWindows([WINDOW_MS, HOUR_MS], FLOOD_ROOM_MS);
  const answers: ApiResponse[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) answers.push(await call(next++));
    }),
  );
  return answers;
}

const register = (client: ApiClient, address: string, headers: Record<string, string> = {}) =>
  client('POST', '/api/agents', { body: { name: `Flood ${randomUUID()}`, capabilities: ['x'] }, headers: from(address, headers) });

function expectEvery429WithRetryAfter(answers: ApiResponse[]): void {
  for (const answer of answers.filter((a) => a.status === 429)) {
    expect(answer.body.error.code).toBe('rate_limited');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answer.body.error.details.retry_after_seconds).toBe(Number(answer.headers.get('retry-after')));
  }
}


describe('limits follow the verified caller', () => {
  it('700 registrations with made-up X-Agent-Key headers create nothing past the budget: the address limit applies, the rest are 429 with Retry-After', async () => {
    const answers = await flood(700, 20, () => register(api, '203.0.113.1', { 'x-agent-key': madeUpKey() }));
    // A made-up key is refused (401) or never reaches the route (429): it buys no budget of its own.
    expect(answers.filter((answer) => answer.status === 201).length).toBeLessThanOrEqual(REGISTRATIONS_PER_HOUR);
    expect(answers.filter((answer) => answer.status !== 429).length).toBeLessThanOrEqual(PER_IP);
    expect(answers.every((answer) => [201, 401, 429].includes(answer.status))).toBe(true);
    expectEvery429WithRetryAfter(answers);
  });

  it('700 anonymous registrations from one address create exactly the hourly budget; the rest are 429 with Retry-After', async () => {
    const answers = await flood(700, 20, () => register(api, '203.0.113.6'));
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBe(REGISTRATIONS_PER_HOUR);
    expect(answers.filter((answer) => answer.status === 429).length).toBe(700 - REGISTRATIONS_PER_HOUR);
    expectEvery429WithRetryAfter(answers);
    // The registration budget is per address: another one may still register.
    expect((await register(api, '203.0.113.2')).status).toBe(201);
  });

  it('made-up agent keys and Bearer tokens count against the address: 401 until its budget is spent, then 429', async () => {
    const answers = await flood(PER_IP + 40, 10, (index) =>
      api('GET', '/api/agents/me', {
        headers: from('203.0.113.3', index % 2 === 0 ? { 'x-agent-key': madeUpKey() } : { authorization: `Bearer made.up.${index}` }),
      }),
    );
    expect(answers.filter((answer) => answer.status === 401).length).toBeLessThanOrEqual(PER_IP);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(40);
    expectEvery429WithRetryAfter(answers);
  });

  it('counts a verified agent under its own identity: two agents behind one address each get their own budget', async () => {
    const [first, other] = await Promise.all([register(api, '203.0.113.4'), register(api, '203.0.113.4')]);
    expect([first.status, other.status]).toEqual([201, 201]);
    const me = (key: string) => api('GET', '/api/agents/me', { key, headers: from('203.0.113.4') });
    const answers = await flood(PER_CALLER + 10, 5, () => me(first.body.api_key));
    expect(answers.filter((answer) => answer.status === 200).length).toBeLessThanOrEqual(PER_CALLER);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(10);
    expectEvery429WithRetryAfter(answers);
    // The other agent and the address's anonymous budget are untouched by the first agent's spending.
    const theOther = await me(other.body.api_key);
    expect(theOther.status).toBe(200);
    expect(Number(theOther.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    expect((await api('GET', '/api/agents', { headers: from('203.0.113.4') })).status).toBe(200);
  });

  it('two gateway replicas on one bus share the counters: together they do not give twice the budget', async () => {
    const second = await market.stack.startGatewayReplica();
    const replicas = [api, apiClient(second.url)];
    const answers = await flood(2 * REGISTRATIONS_PER_HOUR + 10, 6, (index) => register(replicas[index % 2] as ApiClient, '203.0.113.5'));
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBe(REGISTRATIONS_PER_HOUR);
    expectEvery429WithRetryAfter(answers);
  });
});
