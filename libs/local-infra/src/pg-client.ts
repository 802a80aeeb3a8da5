import { createRequire } from 'node:module';

// pg ships no type declarations and @types/pg is not installed. A global `declare module 'pg'`
// would leak into every workspace sharing the root tsconfig, so this file types only the slice
// we use and loads pg through require (the same CommonJS module pg's ESM entry re-exports).

export interface PgQueryResult {
  rows: Array<Record<string, unknown>>;
  rowCount: number | null;
}

export interface PgClient {
  connect(): Promise<void>;
  query(text: string, values?: unknown[]): Promise<PgQueryResult>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PgClientConfig {
  connectionString: string;
  connectionTimeoutMillis?: number;
  query_timeout?: number;
}

interface PgModule {
  Client: new (config: PgClientConfig) => PgClient;
}

const pg = createRequire(import.meta.url)('pg') as PgModule;

export function createPgClient(config: PgClientConfig): PgClient {
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
