import { hostname } from 'node:os';
import { STREAMS } from '@agentmarket/contracts';
import { loadProcessSettings, oneLine } from '@agentmarket/config';
import { applyBusTopology, connectBus, exitWhenOrphaned, onShutdown } from '@agentmarket/messaging';
import { collectWhenIdle, createLogger, createMetrics, guardProcess } from '@agentmarket/observability';
import { buildGateway } from './app.ts';
import { gatewaySettings } from './config.ts';
import { listenToSupervisor } from './supervision/supervisor-link.ts';

exitWhenOrphaned();
const settings = loadProcessSettings('gateway', gatewaySettings);
const instance = settings.INSTANCE_ID || `${hostname()}-${process.pid}`;
listenToSupervisor();
const logger = createLogger({ service: 'gateway', level: settings.LOG_LEVEL, pretty: settings.LOG_PRETTY === '1', instance });

const metrics = createMetrics('gateway');
guardProcess({ logger, metrics });
collectWhenIdle();

try {
  const connection = await connectBus({ servers: settings.NATS_URL, name: `gateway:${instance}`, logger });
  // The gateway reads EVENTS for SSE: make sure the stream exists even before any service has started.
  await applyBusTopology(connection, { streams: Object.values(STREAMS), consumers: [], replicas: settings.STREAM_REPLICAS, logger });
  const gateway = await buildGateway({ settings, connection, logger, metrics });
  await gateway.app.listen({ port: settings.PORT, host: settings.HOST });
  // The ops listener binds the same interface; keep OPS_PORT off the public network (compose/k8s expose only PORT).
  await gateway.ops.listen({ port: settings.OPS_PORT, host: settings.HOST });
  const opsAddress = gateway.ops.server.address();
  const opsPort = typeof opsAddress === 'object' && opsAddress ? opsAddress.port : settings.OPS_PORT;
  logger.info({ port: settings.PORT, ops_port: opsPort }, `gateway listening on http://${settings.HOST}:${settings.PORT} (ops on port ${opsPort})`);
  onShutdown(logger, settings.SHUTDOWN_TIMEOUT_MS, [
    ['http', gateway.stop],
    ['bus', () => connection.drain()],
  ]);
} catch (error) {
  process.stderr.write(`gateway failed to start: ${oneLine((error as Error).message)}\n`);
  process.exit(1);
}
