import pg from 'pg';
import { SERVICE_NAMES } from '@agentmarket/contracts';

/**
 * Postgres is authoritative: a stream message is kept on restore only if
 * the restored database knows it, and an outbox row the restored stream
 * already holds is marked sent so that the relay does not send it twice.
 */

async function withDatabase<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'agentmarket-restore' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function schemasWithOutbox(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ schema: string }>(
    `select table_schema as schema from information_schema.tables where table_name = 'outbox' and table_schema = any($1::text[])`,
    [[...SERVICE_NAMES]],
  );
  return rows.map((row) => row.schema);
}

/** Every event id in every service's outbox, sent or not. */
export async function outboxEventIds(databaseUrl: string): Promise<Set<string>> {
  return withDatabase(databaseUrl, async (client) => {
    const ids = new Set<string>();
    for (const schema of await schemasWithOutbox(client)) {
      const { rows } = await client.query<{ id: string }>(`select id::text as id from "${schema}".outbox`);
      for (const row of rows) ids.add(row.id);
    }
    return ids;
  });
}

/** Marks as sent the unsent outbox rows whose events the restored streams hold; returns how many. */
export async function markOutboxRowsSent(databaseUrl: string, eventIds: string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  return withDatabase(databaseUrl, async (client) => {
    let marked = 0;
    for (const schema of await schemasWithOutbox(client)) {
      const result = await client.query(`update "${schema}".outbox set published_at = now() where published_at is null and id = any($1::uuid[])`, [eventIds]);
      marked += result.rowCount ?? 0;
    }
    return marked;
  });
}

/** The service schemas that already exist: a restore goes into a database without them. */
export async function existingServiceSchemas(databaseUrl: string): Promise<string[]> {
  return withDatabase(databaseUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>(`select schema_name as name from information_schema.schemata where schema_name = any($1::text[])`, [[...SERVICE_NAMES]]);
    return rows.map((row) => row.name);
  });
}
