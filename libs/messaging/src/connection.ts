import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { inboxPrefixOf } from '@agentmarket/contracts';
import { loadSettings, natsAuthSettings } from '@agentmarket/config';
import type { Logger } from '@agentmarket/observability';

/** Who connects: NATS_USER / NATS_PASSWORD / NATS_TLS_CA_FILE. */
export interface BusCredentials {
  NATS_USER: string;
  NATS_PASSWORD: string;
  NATS_TLS_CA_FILE: string;
}

/**
 * The connect options that follow from the credentials: user and password,
 * and the user's own inbox prefix (its permissions let it read replies there
 * and nowhere else). No user: an anonymous connection, as before.
 */
export function credentialOptions(credentials: BusCredentials): Partial<ConnectionOptions> {
  return {
    ...(credentials.NATS_USER
      ? { user: credentials.NATS_USER, pass: credentials.NATS_PASSWORD, inboxPrefix: inboxPrefixOf(credentials.NATS_USER) }
      : {}),
    // TLS is negotiated whenever the server requires it; a private CA must be named.
    ...(credentials.NATS_TLS_CA_FILE ? { tls: { caFile: credentials.NATS_TLS_CA_FILE } } : {}),
  };
}

/**
 * Connects to NATS and keeps reconnecting forever: a service outlives a bus
 * restart instead of crashing with it. Status changes are logged. Without
 * `credentials`, the process's own NATS_USER / NATS_PASSWORD settings are read.
 */
export async function connectBus(options: { servers: string; name: string; logger: Logger; credentials?: BusCredentials }): Promise<NatsConnection> {
  const credentials = options.credentials ?? loadSettings(natsAuthSettings);
  const connection = await connect({
    servers: options.servers.split(',').map((server) => server.trim()),
    name: options.name,
    ...credentialOptions(credentials),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
    // Each request would otherwise capture a stack trace up front (an Error per request) only to enrich a timeout:
    // under load that was a tenth of the gateway's CPU. Our errors name the subject instead.
    noAsyncTraces: true,
  });
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === 'ping' || status.type === 'staleConnection') continue;
      const level = status.type === 'reconnect' ? 'info' : 'warn';
      // A server error names what went wrong, e.g. "Permissions Violation for Publish to …": say it.
      const error = status.type === 'error' ? { err: status.error } : {};
      options.logger[level]({ bus_status: status.type, server: connection.getServer(), ...error }, `bus ${status.type}`);
    }
  })();
  options.logger.info({ server: connection.getServer() }, 'bus connected');
  return connection;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}
