import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postPinned } from './pinned-post.ts';

describe('postPinned', () => {
  let server: Server;
  let port: number;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers);
      if (request.url === '/redirect') response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      else if (request.url === '/hang') return;
      else response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const pinnedTo = (path: string) => ({ url: new URL(`http://rebound.invalid:${port}${path}`), address: '127.0.0.1', family: 4 as const });

  it('connects to the checked address, never resolving the name again, and keeps the name as Host', async () => {
    // `.invalid` never resolves: only the pinned address can have answered.
    expect(await postPinned(pinnedTo('/in'), '{}', { 'webhook-id': 'x' }, 5000)).toEqual({ statusCode: 204 });
    expect(seen.at(-1)).toMatchObject({ host: `rebound.invalid:${port}`, 'webhook-id': 'x', 'content-type': 'application/json' });
  });

  it('does not follow redirects', async () => {
    expect(await postPinned(pinnedTo('/redirect'), '{}', {}, 5000)).toEqual({ statusCode: 302 });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    expect(await postPinned(pinnedTo('/hang'), '{}', {}, 200)).toEqual({ error: 'no answer within 0.2 s' });
  });
});
