import type pg from 'pg';
import { quoteIdent } from '@agentmarket/persistence';

/** Events a schema has committed to its outbox that the relay has not published yet. */
export interface OutboxBacklog {
  schema: string;
  unsent: number;
}

/**
 * The unsent outbox rows of every schema of the database that has an
 * `outbox` table (each service's schema does), only those with any. The
 * schemas are looked up on every call, so a schema migrated meanwhile counts too.
 * A schema's `announcements` (reputation's deferred reputation_updated, due
 * within its interval) count as unsent: they are events it will publish.
 */
export async function outboxBacklogs(db: pg.Client): Promise<OutboxBacklog[]> {
  const { rows: schemas } = await db.query<{ schema: string }>(
    `select table_schema as schema from information_schema.tables where table_name = 'outbox' and table_type = 'BASE TABLE' order by 1`,
  );
  if (schemas.length === 0) return [];
  // One round trip for every schema; quoteIdent refuses any name that is not a plain identifier.
  const { rows: deferring } = await db.query<{ schema: string }>(
    `select table_schema as schema from information_schema.tables where table_name = 'announcements' and table_type = 'BASE TABLE'`,
  );
  const deferred = new Set(deferring.map((row) => row.schema));
  const counts = schemas
    .map(({ schema }, index) => {
      const announcements = deferred.has(schema) ? ` + (select count(*)::int from ${quoteIdent(schema)}.announcements)` : '';
      return `select $${index + 1}::text as schema, count(*)::int${announcements} as unsent from ${quoteIdent(schema)}.outbox where published_at is null`;
    })
    .join(' union all ');
  const { rows } = await db.query<OutboxBacklog>(
    counts,
    schemas.map(({ schema }) => schema),
  );
  return rows.filter((row) => row.unsent > 0);
}
