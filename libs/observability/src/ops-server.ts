import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A readiness check answers true, or a string saying what is wrong. */
export type ReadinessChecks = Record<string, () => Promise<true | string>>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

export async function runReadinessChecks(checks: ReadinessChecks, timeoutMs = 2000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const outcome = await Promise.race([
        check().catch((error: unknown) => (error as Error).message || 'failed'),
        new Promise<string>((resolve) => setTimeout(resolve, timeoutMs, 'timed out').unref()),
      ]);
      return [name, outcome === true ? 'ok' : outcome] as const;
    }),
  );
  return { ready: entries.every(([, value]) => value === 'ok'), checks: Object.fromEntries(entries) };
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** /healthz, /readyz and /metrics for a process that has no HTTP API of its own. */
export async function startOpsServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  readiness: ReadinessChecks;
  /** Facts shown in /readyz that do not make the process unready (e.g. "no model configured"). */
  details?: () => Record<string, unknown>;
}): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const send = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return send(405, JSON.stringify({ error: { code: 'not_found', message: 'GET only', details: {} } }));
    if (path === '/healthz') return send(200, JSON.stringify({ status: 'ok' }));
    if (path === '/readyz') {
      void runReadinessChecks(options.readiness).then((report) =>
        send(
          report.ready ? 200 : 503,
          JSON.stringify({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks, ...(options.details ? { details: options.details() } : {}) }),
        ),
      );
      return;
    }
    if (path === '/metrics') {
      void options.registry.metrics().then((text) => send(200, text, options.registry.contentType));
      return;
    }
    send(404, JSON.stringify({ error: { code: 'not_found', message: 'No such route', details: {} } }));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
