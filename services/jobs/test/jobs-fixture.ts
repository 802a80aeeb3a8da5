import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { AppError, SUBJECTS, type HireJobInput, type JobPage, type JobView } from '@agentmarket/contracts';
import { BusClient, connectBus } from '@agentmarket/messaging';
import { useTestStack, type TestAgent } from '@agentmarket/testing';

/**
 * Longer than a hire can take inside jobs (up to 5 s for catalog, then 5 s
 * for payments): the test must hear jobs' own answer, never its own timeout.
 */
const HIRE_TIMEOUT_MS = 20_000;

/** What the database says about a job, whether or not the API shows it. */
export interface JobRow {
  id: string;
  status: string;
  funding_status: 'pending_hold' | 'funded' | 'unfunded';
  parent_job_id: string | null;
}

/**
 * The whole market (jobs calls catalog and payments over the bus, so the
 * saga needs them real), without starter grants so that every test funds
 * its clients with exact amounts, and a bus client of the test's own that
 * talks to jobs directly, below the gateway. A database connection reads
 * what the API never shows: pending_hold and unfunded jobs, and holds.
 */
export function useJobsMarket() {
  const market = useTestStack({ env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } });
  let connection: NatsConnection | undefined;
  let bus: BusClient | undefined;
  let db: pg.Client | undefined;
  beforeAll(async () => {
    connection = await connectBus({ servers: market.stack.natsUrl, name: 'jobs-test', logger: pino({ level: 'silent' }) });
    bus = new BusClient(connection, HIRE_TIMEOUT_MS);
    db = new pg.Client({ connectionString: market.stack.databaseUrl });
    await db.connect();
  });
  // Registered after useTestStack's, so it runs before the stack stops.
  afterAll(async () => {
    await connection?.close();
    await db?.end();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useJobsMarket is used before its beforeAll ran');
    return value;
  };
  const sql = async <T extends pg.QueryResultRow>(text: string, params: unknown[]) => (await ready(db).query<T>(text, params)).rows;

  return {
    market,
    api: market.api,
    /** `jobs.jobs.hire` as the gateway sends it, for an agent client. */
    hire: (client: TestAgent, job: HireJobInput, idempotencyKey?: string) =>
      ready(bus).request<JobView>(SUBJECTS.jobs.hire, {
        client: { type: 'agent', id: client.id },
        job,
        ...(idempotencyKey === undefined ? {} : { idempotency_key: idempotencyKey }),
      }),
    /** `jobs.jobs.get` as one of the agents would ask it. */
    getJob: (caller: TestAgent, jobId: string) => ready(bus).request<JobView>(SUBJECTS.jobs.get, { job_id: jobId, caller: { type: 'agent', id: caller.id } }),
    listJobs: (party: TestAgent) => ready(bus).request<JobPage>(SUBJECTS.jobs.list, { party: { type: 'agent', id: party.id }, query: {} }),
    /** Every job of a service in the database, visible or not, oldest first. */
    jobRowsOf: (serviceId: string) =>
      sql<JobRow>('select id, status, funding_status, parent_job_id from jobs.jobs where service_id = $1 order by created_at, id', [serviceId]),
    /** The escrow holds (and fences) whose ids are these jobs. */
    holdsOf: (jobIds: string[]) =>
      sql<{ hold_id: string; status: string; amount: string }>('select hold_id, status, amount from payments.holds where hold_id = any($1::uuid[]) order by hold_id', [jobIds]),
    /** The agent's USD balance as GET /api/wallet shows it. */
    usd: async (agent: TestAgent) => {
      const wallet = await market.api('GET', '/api/wallet', { key: agent.key });
      const balance = (wallet.body.balances as { currency: string; available: string; held: string }[] | undefined)?.find((b) => b.currency === 'USD');
      return { available: balance?.available ?? '0.00', held: balance?.held ?? '0.00' };
    },
  };
}

/** The AppError a bus request failed with (code, message, details); fails the test if it succeeded or failed otherwise. */
export async function refusalOf(request: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected the request to be refused, and it succeeded');
}
