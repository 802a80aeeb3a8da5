import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@agentmarket/observability';

/**
 * Connects to NATS and keeps reconnecting forever: a service outlives a bus
 * restart instead of crashing with it. Status changes are logged.
 */
export async function connectBus(options: { servers: string; name: string; logger: Logger }): Promise<NatsConnection> {
  const connection = await connect({
    servers: options.servers.split(',').map((server) => server.trim()),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
  });
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === 'ping' || status.type === 'staleConnection') continue;
      const level = status.type === 'reconnect' ? 'info' : 'warn';
      options.logger[level]({ bus_status: status.type, server: connection.getServer() }, `bus ${status.type}`);
    }
  })();
  options.logger.info({ server: connection.getServer() }, 'bus connected');
  return connection;
}

export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(data));
}
