import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';

/** The statements run as named prepared statements, by their numbered text: a fixed set of the hot paths' SQL, so it stays small. */
const preparedTexts = new Map<string, string>();
/** `?` placeholders as `$1, $2…`, by the text written with `?`. */
const numberedTexts = new Map<string, string>();

/** The text with its `?` placeholders numbered (`$1`…), as the wire protocol wants them; the hot paths' SQL has no other `?`. */
function numbered(sql: string): string {
  let text = numberedTexts.get(sql);
  if (text === undefined) {
    let next = 0;
    text = sql.replace(/\?/g, () => `$${++next}`);
    numberedTexts.set(sql, text);
    preparedTexts.set(text, `am_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`);
  }
  return text;
}

/**
 * Runs one of a hot path's statements (written with `?` placeholders, like
 * `em.execute`, but no array expansion) with real parameters ($1, $2…) as a
 * named prepared statement: Postgres parses and plans it once per
 * connection (and, after a few runs, keeps a generic plan) instead of every
 * time. `em.execute` inlines the parameters into the text (a new statement
 * each time, parsed and planned anew, and quoted in JavaScript first):
 * parsing and planning were a third of the database's CPU per lifecycle.
 * Runs on the em's transaction when it has one. Errors are converted as
 * `em.execute` converts them (a unique violation is the ORM's
 * UniqueConstraintViolationException, and so on).
 */
export async function executePrepared<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const text = numbered(sql);
  const connection = em.getConnection();
  const executor = (em.getTransactionContext<Kysely<unknown>>() ?? connection.getClient()) as Kysely<unknown>;
  try {
    // Neither array is copied: this runs for every hot statement, and the caller owns both.
    const result = await executor.executeQuery<T>(CompiledQuery.raw(text, params));
    return result.rows;
  } catch (error) {
    throw connection.getPlatform().getExceptionConverter().convertException(error as Error);
  }
}

/**
 * Gives the statements of executePrepared their names on every connection of
 * the pool (node-postgres then sends the text once per connection). Other
 * queries are left as they are.
 */
export function nameHotStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, ...rest: unknown[]) => {
      const name = typeof text === 'string' ? preparedTexts.get(text) : undefined;
      if (name === undefined) return query(text, ...rest);
      const [values, callback] = rest;
      return query({ name, text, values }, ...(callback === undefined ? [] : [callback]));
    };
  });
}
