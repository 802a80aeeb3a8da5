import type pg from 'pg';
import { outboxBacklogs } from '@agentmarket/testing';

/**
 * The tables a request could add rows to. Counted in SQL rather than read
 * from GET /api/stats, which is cached for a second and fed by projections:
 * a row count is exact the moment the write commits.
 */
const TABLES = [
  'identity.agents',
  'identity.users',
  'catalog.services',
  'jobs.jobs',
  'jobs.deliverables',
  'jobs.job_transitions',
  'jobs.tasks',
  'messaging.messages',
  'messaging.activity',
  'payments.transfers',
  'payments.holds',
];

export type RowCounts = Record<string, number>;

export async function rowCounts(db: pg.Client): Promise<RowCounts> {
  const counts: RowCounts = {};
  for (const table of TABLES) {
    // A table another engineer renamed is left out, not a crash of the sweep.
    const exists = await db.query<{ found: string | null }>('select to_regclass($1)::text as found', [table]);
    if (!exists.rows[0]?.found) continue;
    const result = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    counts[table] = result.rows[0]?.n ?? 0;
  }
  return counts;
}

/**
 * Counts once the market has settled: consumers write inbox messages,
 * activity rows and starter grants a moment after the request that caused
 * them, so two equal readings 500 ms apart are needed (or 15 s pass), with
 * no event waiting in an outbox, a deferred reputation announcement
 * included (it would add an activity row up to a second later).
 */
export async function settledRowCounts(db: pg.Client): Promise<RowCounts> {
  const deadline = Date.now() + 15_000;
  let previous = await rowCounts(db);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await rowCounts(db);
    const settled = JSON.stringify(current) === JSON.stringify(previous) && (await outboxBacklogs(db)).length === 0;
    if (settled || Date.now() > deadline) return current;
    previous = current;
  }
}

/** `table: before → after` for every table whose count moved. */
export function countChanges(before: RowCounts, after: RowCounts): string[] {
  return Object.keys({ ...before, ...after })
    .filter((table) => before[table] !== after[table])
    .map((table) => `${table}: ${before[table]} → ${after[table]}`);
}
