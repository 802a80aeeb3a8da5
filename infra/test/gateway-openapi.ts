import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STREAMS } from '@agentmarket/contracts';
import { loadSettings } from '@agentmarket/config';
import { startNatsServer } from '@agentmarket/local-infra';
import { applyBusTopology, connectBus } from '@agentmarket/messaging';
import { createLogger, createMetrics } from '@agentmarket/observability';
import { buildGateway } from '@agentmarket/gateway/app';
import { gatewaySettings } from '@agentmarket/gateway/config';

export interface OpenApiOperation {
  security?: Record<string, string[]>[];
}
export type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

/**
 * The OpenAPI document of a real gateway, built on its own nats-server with
 * default settings: the routes' declared security, as clients see it. No
 * service is needed, since the document is generated from the registrations.
 */
export async function gatewayOpenApi(): Promise<OpenApiDocument> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'readme-openapi-'));
  const nats = await startNatsServer({ port: 0, storeDir: path.join(workDir, 'nats') });
  const logger = createLogger({ service: 'gateway', level: 'silent', pretty: false, instance: 'readme-test' });
  const connection = await connectBus({ servers: nats.url, name: 'readme-test', logger, credentials: { NATS_USER: '', NATS_PASSWORD: '', NATS_TLS_CA_FILE: '' } });
  try {
    await applyBusTopology(connection, { streams: Object.values(STREAMS), consumers: [], replicas: 1, logger });
    const gateway = await buildGateway({ settings: loadSettings(gatewaySettings, {}), connection, logger, metrics: createMetrics('gateway') });
    try {
      const response = await gateway.app.inject({ method: 'GET', url: '/openapi.json' });
      return response.json() as OpenApiDocument;
    } finally {
      await gateway.stop();
    }
  } finally {
    await connection.drain();
    await nats.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
