import { createPgClient, pgErrorCode, type PgClient } from './pg-client.ts';

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DUPLICATE_DATABASE = '42P04';
// Two concurrent CREATE DATABASE calls can collide on pg_database's unique index instead.
const UNIQUE_VIOLATION = '23505';

/** Creates `dbName` on the server behind `adminUrl` unless it exists; returns a URL pointing at it. */
export async function ensureDatabase(adminUrl: string, dbName: string): Promise<string> {
  assertDatabaseName(dbName);
  await withClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (existing.rows.length > 0) return;
    try {
      await client.query(`CREATE DATABASE "${dbName}"`);
    } catch (error) {
      const code = pgErrorCode(error);
      if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw error;
    }
  });
  return databaseUrl(adminUrl, dbName);
}

/** Drops `dbName` if it exists, disconnecting any sessions still using it. */
export async function dropDatabase(adminUrl: string, dbName: string): Promise<void> {
  assertDatabaseName(dbName);
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
}

/** True if a session can be opened and answer a query within timeoutMs. */
export async function canConnectPostgres(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = createPgClient({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `adminUrl` with its path replaced by the database name; credentials and query string are kept. */
export function databaseUrl(adminUrl: string, dbName: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

// Identifiers cannot be bound as query parameters, so the name is validated instead of escaped.
function assertDatabaseName(dbName: string): void {
  if (!DATABASE_NAME.test(dbName)) {
    throw new Error(`Invalid database name "${dbName}": must match ${DATABASE_NAME.source}`);
  }
}

async function withClient<T>(url: string, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = createPgClient({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
