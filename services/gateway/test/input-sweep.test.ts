import { writeFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '@agentmarket/testing';
import { addBulkyRows } from './sweep/bulky-rows.ts';
import { HOSTILE_CLASSES, VALID_CLASSES } from './sweep/classes.ts';
import { FailureLog } from './sweep/failure-log.ts';
import { createFixtures, type Fixtures } from './sweep/fixtures.ts';
import { operationName, operationsOf, type Operation } from './sweep/openapi.ts';
import { countChanges, settledRowCounts } from './sweep/row-counts.ts';
import { runSweep, type SweepSettings } from './sweep/run-sweep.ts';
import { Tally } from './sweep/tally.ts';

/*
 * The input sweep: a fast-check property over every operation of the
 * gateway's /openapi.json. Requests are generated from the request schemas
 * (valid ones) and then spoiled one part at a time (hostile ones). Properties:
 * no 5xx; every 4xx is {error: {code, message, details}} with a code of
 * ERROR_CODES; hostile input is refused as API.md says; and a run of only
 * hostile requests leaves every table's row count as it was.
 *
 * Replay: SWEEP_SEED=<seed> (printed) reruns the same generation;
 * SWEEP_ONLY='<METHOD> <path> <class>' with SWEEP_PATH='<path>' replays one
 * shrunk counterexample. SWEEP_RUNS scales runs per property (default 4);
 * SWEEP_REPORT=<file> writes the failures as JSON.
 */

// Sign-ups and logins are hostile targets too: the test stack's hourly per-address budgets for them are
// generous enough (TEST_STACK_ENV) that a 429 never hides what the sweep probes.
const market = useTestStack();

const seed = Number(process.env.SWEEP_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(process.env.SWEEP_RUNS ?? 4);

let operations: Operation[] = [];
let fixtures: Fixtures;
let db: pg.Client;
const reports: string[] = [];
const allFailures: unknown[] = [];

/**
 * Hostile properties run three at a time (they change nothing, so order does not matter); valid ones one
 * at a time, so that a seed replays the same sequence of state changes.
 */
function settings(log: FailureLog, tally: Tally, concurrency: number): SweepSettings {
  return {
    baseUrl: market.stack.gatewayUrl,
    fixtures,
    log,
    tally,
    seed,
    // Classes that pick one field or one flavour among many per run get more runs to reach them all.
    runs: { nul: runs + 2, surrogate: runs + 2, c0: runs + 2, 'forged-cursor': runs * 2, 'bad-id': runs + 2, valid: runs * 2 },
    defaultRuns: runs,
    shrinkBudget: 40,
    // A replayed path names one counterexample of one round.
    rounds: process.env.SWEEP_PATH ? 1 : 4,
    concurrency,
    only: process.env.SWEEP_ONLY,
    path: process.env.SWEEP_PATH,
  };
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

beforeAll(async () => {
  const started = Date.now();
  const document = await market.api('GET', '/openapi.json');
  operations = operationsOf(document.body);
  fixtures = await createFixtures(market.api);
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
  console.log(`input sweep: seed ${seed}, ${operations.length} operations, fixtures in ${seconds(started)} (replay: SWEEP_SEED=${seed} npx vitest run --project integration services/gateway/test/input-sweep.test.ts)`);
});

afterAll(async () => {
  await db?.end();
  for (const report of reports) console.log(report);
  if (process.env.SWEEP_REPORT) await writeFile(process.env.SWEEP_REPORT, JSON.stringify({ seed, failures: allFailures }, null, 2));
});

describe('input sweep over /openapi.json', () => {
  it('refuses hostile input on every route: no 5xx, the documented error, no row written', async () => {
    expect(operations.length).toBeGreaterThan(30);
    const log = new FailureLog();
    const tally = new Tally();
    let started = Date.now();
    const before = await settledRowCounts(db);
    const settling = seconds(started);
    started = Date.now();
    const properties = await runSweep(operations, HOSTILE_CLASSES, 'hostile', settings(log, tally, 3));
    const swept = seconds(started);
    const after = await settledRowCounts(db);
    const changes = countChanges(before, after);
    if (changes.length > 0) {
      log.add({ signature: 'hostile run | row counts changed', operation: '*', note: 'only hostile requests were sent', request: '', status: 0, body: changes.join(', '), problems: [{ kind: 'rows written', detail: changes.join(', ') }] });
    }
    reports.push(`${tally.format(`hostile sweep: ${properties} properties in ${swept} (row counts settled in ${settling})`)}\n\n${log.format('hostile sweep')}`);
    allFailures.push(...log.list());
    expect(log.list().map((failure) => failure.signature)).toEqual([]);
  }, 180_000);

  it('answers requests generated from the schemas without a 5xx, refusals in the documented shape', async () => {
    const log = new FailureLog();
    const tally = new Tally();
    let started = Date.now();
    // Rows near the body limit, so that a page or a job view could outgrow what the bus carries (API.md: bounded replies).
    // (Skipped when SWEEP_ONLY selects no valid property: a replay of a hostile case needs none of it.)
    const only = process.env.SWEEP_ONLY;
    const wanted = !only || operations.some((operation) => Object.keys(VALID_CLASSES).some((kind) => `${operationName(operation)} ${kind}`.includes(only)));
    if (wanted) await addBulkyRows(market.api, fixtures, log);
    const bulky = seconds(started);
    started = Date.now();
    const properties = await runSweep(operations, VALID_CLASSES, 'valid', settings(log, tally, 1));
    reports.push(`${tally.format(`valid sweep: ${properties} properties in ${seconds(started)} (bulky rows added in ${bulky})`)}\n\n${log.format('valid sweep')}`);
    allFailures.push(...log.list());
    expect(log.list().map((failure) => failure.signature)).toEqual([]);
  }, 180_000);
});
