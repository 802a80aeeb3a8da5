import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openOrm } from '../src/orm.ts';

// The machine's Postgres, as the other integration tests reach it; only `select`s are sent.
const DATABASE_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const withSslMode = (url: string, mode: string) => `${url}${url.includes('?') ? '&' : '?'}sslmode=${mode}`;

type Session = 'tls' | 'plain' | 'refused';

/** What session a plain `pg` client gets with this URL. */
async function pgSession(url: string): Promise<Session> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ ssl: boolean }>('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
    return rows[0]?.ssl === true ? 'tls' : 'plain';
  } catch {
    return 'refused';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The same question through a service's ORM. */
async function ormSession(url: string): Promise<Session> {
  try {
    const orm = await openOrm({ databaseUrl: url, schema: 'public', entities: [], migrations: [], poolSize: 1 });
    try {
      const rows = await orm.em.getConnection().execute<{ ssl: boolean }[]>('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
      return rows[0]?.ssl === true ? 'tls' : 'plain';
    } finally {
      await orm.close(true);
    }
  } catch {
    return 'refused';
  }
}

describe('DATABASE_URL sslmode', () => {
  it('is honoured by the services’ ORM exactly as by the pg driver: sslmode=require never yields a plain-text session', async () => {
    const required = withSslMode(DATABASE_URL, 'require');
    const driver = await pgSession(required);
    expect(driver).not.toBe('plain');
    expect(await ormSession(required)).toBe(driver);
    // Without the requirement the ORM connects in plain text, as the driver does.
    const disabled = withSslMode(DATABASE_URL, 'disable');
    expect(await ormSession(disabled)).toBe('plain');
  });
});
