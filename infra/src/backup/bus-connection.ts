import { connect, type NatsConnection } from '@nats-io/transport-node';
import { credentialOptions, type BusCredentials } from '@agentmarket/messaging';

/** One connection for a backup or restore: no endless reconnecting, a tool should fail and say so. */
export async function connectTool(natsUrl: string, credentials: BusCredentials, name: string): Promise<NatsConnection> {
  return connect({ servers: natsUrl.split(',').map((server) => server.trim()), name, ...credentialOptions(credentials) });
}
