import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgbenchFigures, pgbenchRunArgs, run, type PgbenchResult } from './pgbench.ts';
import { withScratchDatabase } from './scratch-database.ts';

/**
 * A hold as Postgres sees it (services/payments, placeHoldRow): one
 * statement that adds to the escrow account's balance, takes from the
 * payer's and writes an outbox row, committed on its own. The escrow row of
 * a currency is the one row every hold updates: its lock is held from the
 * update until the commit, so holds through it are serial. Each pgbench
 * client pays from an account of its own, as the lifecycles' clients do.
 */
const HOLD_SHAPED_STATEMENT = `with escrow as (update accounts set balance = balance + 1 where id = 0 returning id),
payer as (update accounts set balance = balance - 1 from (select count(*) as posted from escrow) as step where id = :client_id + 1 and step.posted > 0 returning id)
insert into outbox (envelope) select '{"type":"escrow_held"}'::jsonb from payer;
`;

async function createLedger(url: string, payers: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table accounts (id bigint primary key, balance bigint not null check (balance >= 0))');
    await client.query('create table outbox (id bigserial primary key, envelope jsonb not null)');
    await client.query('insert into accounts (id, balance) select n, 1000000000 from generate_series(0, $1::int) as n', [payers]);
  } finally {
    await client.end();
  }
}

/**
 * The most holds per second one escrow row takes on this Postgres right
 * now: hold-shaped statements from `clients` pgbench clients, all through
 * one row. A lifecycle places one hold; its settlement takes the row once
 * per batch of settlements. So this is the ceiling the escrow row puts on
 * lifecycles per second, per currency.
 */
export async function measureEscrowRowCeiling(options: { adminUrl: string; clients: number; durationS: number }): Promise<PgbenchResult> {
  return withScratchDatabase(options.adminUrl, 'am_escrow_row', async (url) => {
    await createLedger(url, options.clients);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'am-escrow-row-'));
    try {
      const script = path.join(dir, 'hold.sql');
      await writeFile(script, HOLD_SHAPED_STATEMENT);
      const { stdout } = await run('pgbench', [...pgbenchRunArgs(options.clients, options.durationS), '-M', 'prepared', '-f', script, url]);
      return pgbenchFigures(stdout, options.clients, options.durationS);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
