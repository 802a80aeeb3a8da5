import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from './pinned-fetch.ts';
import { TargetRefused } from './target-guard.ts';

describe('createGuardedFetch', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/big') response.writeHead(200).end('x'.repeat(5000));
      else if (request.url === '/hang') return;
      else {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ host: request.headers.host, body })));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // `.invalid` never resolves through DNS: only the guard's (stubbed) answer can have been used.
  const development = createGuardedFetch({ policy: { allowPrivateNetworks: true }, timeoutMs: 2000, maxBodyBytes: 1000, resolveAll: async () => [{ address: '127.0.0.1', family: 4 }] });

  it('connects to the address the guard checked and keeps the name as Host', async () => {
    const response = await development(`http://seller.invalid:${port}/rpc`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(await response.json()).toEqual({ host: `seller.invalid:${port}`, body: '{"a":1}' });
  });

  it('refuses a private address when private networks are not allowed, before connecting', async () => {
    const production = createGuardedFetch({ policy: { allowPrivateNetworks: false }, timeoutMs: 2000, maxBodyBytes: 1000 });
    await expect(production(`https://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(TargetRefused);
    await expect(production(`http://example.com/`)).rejects.toThrow('must use https');
  });

  it('fails an answer larger than the cap while it is read, and a server that never answers within the timeout', async () => {
    const big = await development(`http://seller.invalid:${port}/big`);
    await expect(big.text()).rejects.toThrow();
    const quick = createGuardedFetch({ policy: { allowPrivateNetworks: true }, timeoutMs: 200, maxBodyBytes: 1000 });
    await expect(quick(`http://127.0.0.1:${port}/hang`)).rejects.toThrow('within 0.2 s');
  });
});
