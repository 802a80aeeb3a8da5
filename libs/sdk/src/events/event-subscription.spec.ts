import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../errors.ts';
import { Transport } from '../http/transport.ts';
import { EventSubscription } from './event-subscription.ts';
import type { MarketEvent } from './market-event.ts';

// A scripted SSE server: each connection is answered by the next script, which sees its request.
type Script = (request: IncomingMessage, response: ServerResponse) => void;
const scripts: Script[] = [];
const requests: IncomingMessage[] = [];
const server = createServer((request, response) => {
  requests.push(request);
  const script = scripts.shift();
  if (script) script(request, response);
  else response.writeHead(503, { 'retry-after': '0' }).end();
});
const frame = (id: number, type = 'job_created') => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ id: `evt-${id}`, type, occurred_at: '2026-01-01T00:00:00Z', data: { n: id } })}\n\n`;
const stream =
  (ids: number[], end: 'close' | 'hang' = 'close'): Script =>
  (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(': connected\n\n');
    for (const id of ids) response.write(frame(id));
    if (end === 'close') response.end();
  };

let http: Transport;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  http = new Transport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'agmkt_sk_test' });
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function collect(subscription: EventSubscription, count: number): Promise<MarketEvent[]> {
  const events: MarketEvent[] = [];
  for await (const event of subscription) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

describe('EventSubscription', () => {
  it('resumes after a drop with Last-Event-ID and drops what a replay sends again', async () => {
    scripts.length = 0;
    requests.length = 0;
    // The second connection overlaps the first (2, 3 again) as a server replaying too much would; then one idle connection.
    scripts.push(stream([1, 2, 3]), stream([2, 3, 4, 5]), stream([6], 'hang'));
    const subscription = new EventSubscription(http, { types: ['job_created', 'job_started'], minReconnectMs: 1, idleTimeoutMs: 200 });
    const events = await collect(subscription, 6);
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(events[0]).toMatchObject({ type: 'job_created', data: { id: 'evt-1', data: { n: 1 } } });
    expect(requests.map((request) => request.headers['last-event-id'])).toEqual([undefined, '3', '5']);
    expect(requests[0]?.url).toBe('/api/events?types=job_created%2Cjob_started');
    expect(requests[0]?.headers['x-agent-key']).toBe('agmkt_sk_test');
    expect(subscription.lastEventId).toBe('6');
  });

  it('reconnects when a connection goes silent, without even a heartbeat', async () => {
    scripts.length = 0;
    requests.length = 0;
    scripts.push(stream([10], 'hang'), stream([11]));
    const events = await collect(new EventSubscription(http, { lastEventId: '9', minReconnectMs: 1, idleTimeoutMs: 150 }), 2);
    expect(events.map((event) => event.id)).toEqual(['10', '11']);
    expect(requests.map((request) => request.headers['last-event-id'])).toEqual(['9', '10']);
  });

  it('throws what reconnecting cannot fix, and ends quietly when aborted', async () => {
    scripts.length = 0;
    scripts.push((_request, response) => response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthenticated', message: 'bad key' } })));
    await expect(collect(new EventSubscription(http, { minReconnectMs: 1 }), 1)).rejects.toBeInstanceOf(AuthenticationError);

    scripts.push(stream([20], 'hang'));
    const stop = new AbortController();
    const events: MarketEvent[] = [];
    for await (const event of new EventSubscription(http, { signal: stop.signal })) {
      events.push(event);
      stop.abort();
    }
    expect(events.map((event) => event.id)).toEqual(['20']);
  });
});
