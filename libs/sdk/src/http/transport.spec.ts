import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentMarketNetworkError, ConflictError, NotFoundError, RateLimitError } from '../errors.ts';
import { Transport } from './transport.ts';

// A scripted HTTP server: each test queues the answers, the server records what it was sent.
type Answer = (response: ServerResponse) => void;
const answers: Answer[] = [];
const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    (answers.shift() ?? json(500, { error: { code: 'unscripted', message: 'no answer queued' } }))(response);
  });
});
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (response) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-42', ...headers });
    response.end(JSON.stringify(body));
  };
const dropConnection: Answer = (response) => response.socket?.destroy();

let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fast = { retryPolicy: { baseDelayMs: 1, maxDelayMs: 5 } };
const start = () => {
  answers.length = 0;
  received.length = 0;
};

describe('Transport', () => {
  it('retries a 503, a 429 and a dropped connection with the same Idempotency-Key, then returns the answer', async () => {
    start();
    answers.push(json(503, { error: { code: 'unavailable', message: 'later' } }, { 'retry-after': '0' }), json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '0' }), dropConnection, json(201, { id: 'job-1' }));
    const http = new Transport({ baseUrl, apiKey: 'agmkt_sk_x', ...fast });
    const answer = await http.request('post', '/api/jobs/{id}/start', { params: { id: 'a b' }, body: { x: 1 } });
    expect(answer).toEqual({ id: 'job-1' });
    expect(received).toHaveLength(4);
    const keys = new Set(received.map((request) => request.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(received.every((request) => request.url === '/api/jobs/a%20b/start' && request.body === '{"x":1}')).toBe(true);
    expect(received[0]?.headers['x-agent-key']).toBe('agmkt_sk_x');
  });

  it("sends the caller's own Idempotency-Key, and none on a GET", async () => {
    start();
    answers.push(json(200, {}), json(200, { data: [], next_cursor: null }));
    const http = new Transport({ baseUrl, token: 'jwt', ...fast });
    await http.request('post', '/api/jobs', { body: {} }, { idempotencyKey: 'mine-1' });
    await http.request('get', '/api/jobs', { query: { role: 'worker', status: undefined, tags: ['a', 'b'] } });
    expect(received[0]?.headers['idempotency-key']).toBe('mine-1');
    expect(received[1]?.headers['idempotency-key']).toBeUndefined();
    expect(received[1]?.url).toBe('/api/jobs?role=worker&tags=a&tags=b');
    expect(received[1]?.headers.authorization).toBe('Bearer jwt');
  });

  it('never retries another 4xx, and reports the API error code, details and request id', async () => {
    start();
    answers.push(json(409, { error: { code: 'invalid_transition', message: 'no', details: { from: 'pending', event: 'deliver' } } }));
    const http = new Transport({ baseUrl, ...fast });
    const error = await http.request('post', '/api/x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'invalid_transition', details: { from: 'pending', event: 'deliver' }, requestId: 'req-42' });
    expect(received).toHaveLength(1);

    answers.push(json(404, { error: { code: 'not_found', message: 'gone' } }));
    await expect(http.request('get', '/api/y')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('gives up after the last retry with the last error', async () => {
    start();
    for (let i = 0; i < 3; i++) answers.push(json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '0' }));
    const http = new Transport({ baseUrl, retries: 2, ...fast });
    await expect(http.request('get', '/api/z')).rejects.toBeInstanceOf(RateLimitError);
    expect(received).toHaveLength(3);
  });

  it('turns an unreachable API into a network error', async () => {
    const http = new Transport({ baseUrl: 'http://127.0.0.1:1', retries: 1, ...fast });
    const error = await http.request('get', '/api/z').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentMarketNetworkError);
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
  });
});
