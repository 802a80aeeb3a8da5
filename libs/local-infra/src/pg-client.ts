import pg from 'pg';

export type PgClient = pg.Client;

export function createPgClient(config: pg.ClientConfig): PgClient {
  const client = new pg.Client(config);
  // An idle client emits 'error' when the server goes away; unhandled, that would crash the process.
  client.on('error', () => undefined);
  return client;
}

/** Postgres error code if `error` came from the server, e.g. '42P04'. */
export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
