import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSettings } from '@agentmarket/config';
import { startNatsServer } from '@agentmarket/local-infra';
import { STREAMS } from '@agentmarket/contracts';
import { applyBusTopology, connectBus } from '@agentmarket/messaging';
import { createLogger, createMetrics } from '@agentmarket/observability';
import { buildGateway } from '../app.ts';
import { gatewaySettings } from '../config.ts';

/**
 * The OpenAPI document exactly as a running gateway serves it at /openapi.json:
 * the real app is built (every route, every plugin) on a private, throw-away
 * nats-server, since the gateway opens its KV buckets at start; no service runs,
 * no request reaches the bus. Used by `npm run openapi:generate` and by the test
 * that keeps the committed copy in step with the code.
 */
export async function servedOpenApiDocument(): Promise<Record<string, unknown>> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-openapi-'));
  const nats = await startNatsServer({ storeDir: path.join(workDir, 'nats'), port: 0 });
  try {
    const logger = createLogger({ service: 'gateway', level: 'silent', pretty: false, instance: 'openapi' });
    const connection = await connectBus({
      servers: nats.url,
      name: 'gateway:openapi',
      logger,
      credentials: { NATS_USER: '', NATS_PASSWORD: '', NATS_TLS_CA_FILE: '' },
    });
    try {
      // As main.ts does: the live feed reads EVENTS, which must exist before the gateway starts.
      await applyBusTopology(connection, { streams: Object.values(STREAMS), consumers: [], replicas: 1, logger });
      const settings = loadSettings(gatewaySettings, { NATS_URL: nats.url, NODE_ENV: 'development' });
      const gateway = await buildGateway({ settings, connection, logger, metrics: createMetrics('gateway') });
      try {
        const response = await gateway.app.inject({ method: 'GET', url: '/openapi.json' });
        if (response.statusCode !== 200) throw new Error(`GET /openapi.json answered ${response.statusCode}: ${response.body}`);
        return response.json();
      } finally {
        await gateway.stop();
      }
    } finally {
      await connection.close();
    }
  } finally {
    await nats.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
