import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase } from '@agentmarket/local-infra';
import { executePrepared, openOrm } from '../src/index.ts';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = 'prepared_test';
const databaseName = `am_prepared_${randomBytes(6).toString('hex')}`;
let orm: MikroORM;

beforeAll(async () => {
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  // One connection: every statement below runs on it, so its prepared statements are the ones it shows.
  orm = await openOrm({ databaseUrl, schema: SCHEMA, entities: [], migrations: [], poolSize: 1 });
  await orm.em.getConnection().execute(`create schema ${SCHEMA}`);
  await orm.em.getConnection().execute(`create table ${SCHEMA}.notes (id integer primary key, body jsonb not null)`);
});

afterAll(async () => {
  await orm?.close();
  await dropDatabase(ADMIN_URL, databaseName);
});

const INSERT = `insert into ${SCHEMA}.notes (id, body) values (?, ?::jsonb) returning id, body`;
const preparedHere = async () =>
  (await orm.em.getConnection().execute<{ statement: string }[]>('select statement from pg_prepared_statements', [], 'all')).map((row) => row.statement);

describe('executePrepared', () => {
  it('sends real parameters as a named statement, prepared once per connection', async () => {
    const rows = await executePrepared<{ id: number; body: unknown }>(orm.em.fork(), INSERT, [1, JSON.stringify({ text: "it's ? and $1" })]);
    expect(rows).toEqual([{ id: 1, body: { text: "it's ? and $1" } }]);
    await executePrepared(orm.em.fork(), INSERT, [2, '{}']);
    const prepared = (await preparedHere()).filter((statement) => statement.includes(`${SCHEMA}.notes`));
    expect(prepared).toEqual([`insert into ${SCHEMA}.notes (id, body) values ($1, $2::jsonb) returning id, body`]);
  });

  it('fails as em.execute does: a unique violation is the ORM’s exception', async () => {
    await expect(executePrepared(orm.em.fork(), INSERT, [1, '{}'])).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  });

  it('runs inside the em’s transaction: rolled back with it', async () => {
    await expect(
      orm.em.fork().transactional(async (em) => {
        await executePrepared(em, INSERT, [3, '{}']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const left = await orm.em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from ${SCHEMA}.notes where id = 3`, [], 'all');
    expect(left[0]?.n).toBe(0);
  });
});
