import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseErrorLines } from './error-log-summary.ts';
import { formatFaultTable, rowProblems } from './fault-table.ts';
import { startFaultMarket, type FaultMarket } from './fault-market.ts';
import { gatewayCrash } from './faults/gateway-crash.ts';
import { natsCrash } from './faults/nats-crash.ts';
import { postgresFreeze } from './faults/postgres-freeze.ts';
import { serviceCrash } from './faults/service-crash.ts';
import { runScenario, type ScenarioRow } from './run-scenario.ts';
import { EVERY_STEP, type Fault } from './scenario.ts';

/**
 * Each service, killed in turn; recovery is timed on a step that needs it.
 * Reputation is on no request's path (it only consumes events), so any step will do.
 */
const SCENARIOS: Fault[] = [
  serviceCrash('identity', ['register']),
  serviceCrash('catalog', ['publish']),
  serviceCrash('jobs', ['hire', 'start', 'deliver', 'complete']),
  serviceCrash('messaging', ['message']),
  serviceCrash('payments', ['hire']),
  serviceCrash('reputation', EVERY_STEP),
  postgresFreeze,
  natsCrash,
  gatewayCrash,
];

let market: FaultMarket;
let db: pg.Client;
const rows: ScenarioRow[] = [];

beforeAll(async () => {
  market = await startFaultMarket();
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  // The figures go to stdout, so they show in the CI log whatever the outcome.
  console.log(`\nFault suite figures\n\n${formatFaultTable(rows)}\n`);
  const errors = summariseErrorLines(market?.output ?? []);
  if (errors.length > 0) console.log(`Error log lines of the market, by kind:\n${errors.join('\n')}\n`);
  await db?.end();
  await market?.stop();
});

describe('the market under faults, with a steady load of lifecycles', () => {
  for (const fault of SCENARIOS) {
    it(`${fault.name}: no duplicate, no loss, no 500, invariants hold`, async () => {
      const row = await runScenario(market, db, fault);
      rows.push(row);
      expect(rowProblems(row)).toEqual([]);
    });
  }
});
