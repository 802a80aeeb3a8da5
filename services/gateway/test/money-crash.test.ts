import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishService, registerAgent, useTestStack, type TestAgent } from '@agentmarket/testing';

const run = promisify(execFile);
const LEDGER_CHECK = fileURLToPath(new URL('../../payments/src/ledger-check/main.ts', import.meta.url));
const FLOWS = 200;
/** 200 flows, two crashes and two restarts: about 40 s on an idle machine, a minute beside another test file and a busy core. */
const TEST_TIMEOUT_MS = 180_000;

const market = useTestStack({ env: { BUS_TIMEOUT_MS: '3000' } });
const { api } = market;
let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
});
afterAll(async () => db?.end());

/** How many calls met a crash (5xx or a dropped connection): proof that the kills hit requests in flight. */
let interrupted = 0;
/** How many hires have been answered 201: each kill waits until traffic is flowing. */
let hires = 0;

/** Retries a call the way a careful agent does: same Idempotency-Key, again on 5xx or a dropped connection. */
async function persist(call: () => Promise<{ status: number; body: any }>, deadlineMs = 90_000) {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    const response = await call().catch(() => ({ status: 599, body: undefined }));
    if (response.status < 500 || Date.now() > deadline) return response;
    interrupted++;
    // A careful agent's backoff (the waiting is the behaviour imitated, not a wait for something): doubling from
    // 200 ms to 2 s. A fixed 200 ms from 200 flows is 1,000 requests a second at a gateway whose two cores are
    // also restarting the crashed service: a retry storm that slows down the very recovery it waits for.
    await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 2000)));
  }
}

/** One client's job: hire, then (by its number) complete it, cancel it, or leave it running. */
async function flow(index: number, client: TestAgent, worker: TestAgent, serviceId: string): Promise<void> {
  const hired = await persist(() =>
    api('POST', '/api/jobs', { key: client.key, body: { service_id: serviceId, input_data: { text: `flow ${index}` } }, headers: { 'idempotency-key': `flow-${index}` } }),
  );
  if (hired.status !== 201) throw new Error(`hire ${index}: ${hired.status} ${JSON.stringify(hired.body)}`);
  hires++;
  const jobId: string = hired.body.id;
  const steps: [TestAgent, string, unknown][] =
    index % 4 === 0
      ? [[client, 'cancel', {}]]
      : index % 4 === 1
        ? [[worker, 'start', undefined]]
        : [
            [worker, 'start', undefined],
            [worker, 'deliver', { artifact_type: 'text', content: 'ok' }],
            [client, 'complete', { rating: 4 }],
          ];
  for (const [actor, action, body] of steps) {
    const response = await persist(() =>
      api('POST', `/api/jobs/${jobId}/${action}`, { key: actor.key, body, headers: { 'idempotency-key': `flow-${index}-${action}` } }),
    );
    // A 409 after a retry means the first attempt went through before the crash cut its answer off.
    if (response.status !== 200 && response.status !== 409) throw new Error(`${action} ${index}: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

describe('crashes in the middle of the money flow', () => {
  it('kill -9 payments, then jobs, during 200 concurrent hires and completions: ledger clean, every job and its escrow agree', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => registerAgent(api, `crash client ${i}`)));
    const workers = await Promise.all(Array.from({ length: 10 }, (_, i) => registerAgent(api, `crash worker ${i}`)));
    const services = await Promise.all(workers.map((worker) => publishService(api, worker, { price_usd: '3.00', max_concurrent: 1000 })));

    // Pacing, not waiting: the flows start over one second, so that both crashes land in the middle of the traffic.
    const flows = Array.from({ length: FLOWS }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, (i % 50) * 20)).then(() =>
        flow(i, clients[i % clients.length] as TestAgent, workers[i % workers.length] as TestAgent, services[i % services.length]?.id ?? ''),
      ),
    );
    const payments = market.stack.processes.get('payments');
    const jobs = market.stack.processes.get('jobs');
    if (!payments || !jobs) throw new Error('missing processes');
    // Each process is killed once hires are going through (ten more answered), and restarted once calls have met the crash.
    const crash = async (victim: typeof payments) => {
      const hiresBefore = hires;
      await eventually(async () => hires, (count) => count >= hiresBefore + 10, 60_000);
      const interruptedBefore = interrupted;
      await victim.kill();
      await eventually(async () => interrupted, (count) => count > interruptedBefore, 30_000);
      await victim.restart();
    };
    await crash(payments);
    await crash(jobs);
    const outcomes = await Promise.allSettled(flows);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures.map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
    expect(interrupted).toBeGreaterThan(0);

    // Every saga reaches its end: no hire waits for its hold, no ended job keeps one.
    const disagreements = () =>
      db.query(`
        select j.id, j.status, j.funding_status, h.status as hold_status, s.kind as settlement
        from jobs.jobs j
        left join payments.holds h on h.hold_id = j.id
        left join payments.hold_settlements s on s.hold_id = j.id
        where not (
          (j.funding_status = 'funded' and j.status in ('pending', 'in_progress', 'delivered', 'revision_requested', 'disputed') and h.status = 'held' and s.kind is null)
          or (j.funding_status = 'funded' and j.status = 'completed' and h.status = 'released' and s.kind = 'release')
          or (j.funding_status = 'funded' and j.status in ('cancelled', 'failed', 'expired') and h.status = 'refunded' and s.kind = 'refund')
          or (j.funding_status = 'unfunded' and (h.hold_id is null or h.status in ('abandoned', 'refunded')))
        )`);
    const settled = await eventually(disagreements, (result) => result.rowCount === 0, 30_000, 250);
    expect(settled.rows).toEqual([]);
    const counts = await db.query(`select status, count(*)::int as n from jobs.jobs where funding_status = 'funded' group by status order by status`);
    const byStatus = Object.fromEntries(counts.rows.map((row: { status: string; n: number }) => [row.status, row.n]));
    expect(byStatus).toEqual({ cancelled: FLOWS / 4, in_progress: FLOWS / 4, completed: FLOWS / 2 });

    const { stdout } = await run(process.execPath, [LEDGER_CHECK], { env: { ...process.env, DATABASE_URL: market.stack.databaseUrl } });
    expect(stdout).toMatch(/^ledger OK/);
  }, TEST_TIMEOUT_MS);
});
