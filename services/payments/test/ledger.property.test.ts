import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, CURRENCIES, uuidv7, type Currency, type EventEnvelope } from '@agentmarket/contracts';
import { EVENT_ROLES, JOB_MACHINE_EVENTS, TERMINAL_JOB_STATUSES, createJobSnapshot, transitionJob } from '@agentmarket/job-machine';
import { dropDatabase, ensureDatabase } from '@agentmarket/local-infra';
import type { ConsumerSpec } from '@agentmarket/messaging';
import { migrateSchema, openOrm } from '@agentmarket/persistence';
import { EscrowService } from '../src/escrow/escrow.service.ts';
import { jobSettlementConsumer } from '../src/escrow/job-settlement.consumer.ts';
import { AccountDirectory } from '../src/ledger/account-directory.ts';
import { checkLedger } from '../src/ledger-check/check-ledger.ts';
import { paymentsModule } from '../src/payments.module.ts';
import { WalletService } from '../src/wallet/wallet.service.ts';
import { holdCommand, jobEvent, newJob } from './job-events.ts';
import {
  MODEL_FEE_BPS,
  accountKey,
  agentAccount,
  balanceOf,
  expectedHoldStatus,
  move,
  settleInModel,
  type LedgerModel,
  type ModelJob,
} from './ledger-model.ts';

// Model-based: random sequences of deposits, hires, job transitions (driven
// by the real job machine), abandoned hires and duplicate deliveries of
// earlier events and hold requests, applied to the real service functions on
// a real database; after every step the ledger must agree with the model and
// with its own invariants.

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `am_payments_model_${randomBytes(6).toString('hex')}`;
const logger = pino({ level: 'silent' });

interface Real {
  orm: MikroORM;
  escrow: EscrowService;
  wallets: WalletService;
  settlement: ConsumerSpec;
}
type LedgerCommand = fc.AsyncCommand<LedgerModel, Real, false>;

let real: Real;
beforeAll(async () => {
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const orm = await openOrm({ databaseUrl, schema: 'payments', entities: [], migrations: paymentsModule.migrations, poolSize: 4 });
  await migrateSchema(orm, 'payments');
  const accounts = new AccountDirectory();
  const escrow = new EscrowService(orm, { accounts, feeBps: MODEL_FEE_BPS });
  real = { orm, escrow, wallets: new WalletService(orm, accounts), settlement: jobSettlementConsumer(orm, escrow) };
});
afterAll(async () => {
  await real?.orm.close();
  await dropDatabase(ADMIN_URL, databaseName);
});

const sql = <T>(query: string, params: unknown[] = []) => real.orm.em.fork().execute<T[]>(query, params, 'all');
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => {
      if (error instanceof AppError) return error.code;
      throw error;
    },
  );

/** Delivers job events as the consumer runner would: one at a time, or as one batch (which may repeat earlier events). */
async function deliver(envelopes: EventEnvelope[], asBatch: boolean): Promise<void> {
  if (asBatch && real.settlement.handleBatch) await real.settlement.handleBatch(envelopes, { logger });
  else for (const envelope of envelopes) await real.settlement.handle(envelope, { logger });
}

/** Everything that must hold after every step. */
async function assertInvariants(model: LedgerModel): Promise<void> {
  const accounts = await sql<{ owner_key: string; currency: Currency; balance: string }>('select owner_key, currency, balance from payments.accounts');
  for (const currency of CURRENCIES) {
    const sum = accounts.filter((row) => row.currency === currency).reduce((total, row) => total + Number(row.balance), 0);
    expect(sum, `${currency} accounts sum`).toBe(0);
  }
  expect(accounts.filter((row) => row.owner_key !== 'world' && Number(row.balance) < 0)).toEqual([]);
  const actual = new Map(accounts.map((row) => [accountKey(row.owner_key, row.currency), Number(row.balance)]));
  for (const [key, expected] of model.balances) expect(actual.get(key) ?? 0, `balance of ${key}`).toBe(expected);

  expect(await sql('select hold_id from payments.hold_settlements group by hold_id having count(*) > 1')).toEqual([]);
  const ids = [...model.jobs.map((job) => job.job_id), ...model.fenced.map((fenced) => fenced.job.job_id)];
  if (ids.length > 0) {
    const holds = await sql<{ hold_id: string; status: string; settlements: string }>(
      `select h.hold_id, h.status, count(s.hold_id) as settlements
       from payments.holds h left join payments.hold_settlements s on s.hold_id = h.hold_id
       where h.hold_id in (?) group by h.hold_id`,
      [ids],
    );
    const byId = new Map(holds.map((row) => [row.hold_id, row]));
    for (const job of model.jobs) {
      const terminal = TERMINAL_JOB_STATUSES.includes(job.snapshot.status);
      expect(byId.get(job.job_id), `hold of a ${job.snapshot.status} job`).toEqual({
        hold_id: job.job_id,
        status: expectedHoldStatus(job.snapshot.status),
        settlements: terminal ? '1' : '0',
      });
    }
    for (const { job, status } of model.fenced) {
      expect(byId.get(job.job_id)).toEqual({ hold_id: job.job_id, status, settlements: status === 'refunded' ? '1' : '0' });
    }
  }
  expect(await checkLedger(real.orm.em)).toEqual([]);
}

const currencyArb = fc.constantFrom<Currency>(...CURRENCIES);
const agentArb = fc.nat({ max: 3 });
const amountArb = fc.integer({ min: 1, max: 3000 });
const pick = <T>(items: T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);

/** Opens commands so that each names itself in a failure report. */
function command(name: string, run: (model: LedgerModel) => Promise<void>): LedgerCommand {
  return {
    check: () => true,
    run: async (model) => {
      await run(model);
      await assertInvariants(model);
    },
    toString: () => name,
  };
}

const deposit = fc.record({ agent: agentArb, currency: currencyArb, amount: fc.integer({ min: 1, max: 5000 }), repeat: fc.boolean() }).map((p) =>
  command(`deposit(${JSON.stringify(p)})`, async (model) => {
    const earlier = p.repeat ? model.credits.at(-1) : undefined;
    const credit = earlier ?? { transferId: `credit:${uuidv7()}`, agentId: model.agents[p.agent] ?? '', currency: p.currency, amount: p.amount };
    await real.wallets.credit({ transfer_id: credit.transferId, owner: { type: 'agent', id: credit.agentId }, currency: credit.currency, amount: credit.amount });
    if (earlier) return;
    model.credits.push(credit);
    move(model, accountKey('world', credit.currency), agentAccount(credit.agentId, credit.currency), credit.amount);
  }),
);

const hire = fc.record({ payer: agentArb, worker: agentArb, currency: currencyArb, amount: amountArb, maxRevisions: fc.nat({ max: 2 }) }).map((p) =>
  command(`hire(${JSON.stringify(p)})`, async (model) => {
    const client = model.agents[p.payer] ?? '';
    const worker = model.agents[(p.payer + 1 + (p.worker % 3)) % 4] ?? '';
    const job = newJob(p.amount, p.currency, { client_agent_id: client, worker_agent_id: worker });
    const affordable = balanceOf(model, agentAccount(client, p.currency)) >= p.amount;
    expect(await codeOf(real.escrow.placeHold(holdCommand(job)))).toBe(affordable ? 'ok' : 'insufficient_funds');
    if (affordable) {
      model.jobs.push({ ...job, snapshot: createJobSnapshot({ maxRevisions: p.maxRevisions }) });
      move(model, agentAccount(client, p.currency), accountKey('escrow', p.currency), p.amount);
      return;
    }
    // The hire saga gives up: the id is fenced so that a late hold cannot land.
    expect((await real.escrow.abandon(job.job_id)).status).toBe('abandoned');
    model.fenced.push({ job, status: 'abandoned' });
  }),
);

/** A hold placed, then abandoned by a saga that gave up on the job (a crash between the two steps of a hire). */
const abandonedHire = fc.record({ payer: agentArb, amount: amountArb, currency: currencyArb }).map((p) =>
  command(`abandonedHire(${JSON.stringify(p)})`, async (model) => {
    const client = model.agents[p.payer] ?? '';
    const job = newJob(p.amount, p.currency, { client_agent_id: client, worker_agent_id: model.agents[(p.payer + 1) % 4] ?? '' });
    const placed = (await codeOf(real.escrow.placeHold(holdCommand(job)))) === 'ok';
    expect(placed).toBe(balanceOf(model, agentAccount(client, p.currency)) >= p.amount);
    const status = placed ? 'refunded' : 'abandoned';
    expect((await real.escrow.abandon(job.job_id)).status).toBe(status);
    model.fenced.push({ job, status });
  }),
);

/**
 * A `forward` step (3 in 4) avoids the events that end a job early, and the
 * timer's auto-completion (a second road to the same release), when the job
 * can go on: so that runs reach deliveries, disputes and resolutions often.
 */
const NOT_FORWARD: readonly string[] = ['cancel', 'fail', 'expire', 'auto_complete'];

interface TransitionStep {
  job: number;
  event: number;
  forward: boolean;
  share: number;
  asBatch: boolean;
  withRepeats: number;
}

/** Moves an open job by one event its state accepts (the real job machine decides) and delivers the event, maybe with repeats of earlier ones. */
async function applyTransition(model: LedgerModel, step: TransitionStep): Promise<void> {
  const job = pick(
    model.jobs.filter((candidate) => !TERMINAL_JOB_STATUSES.includes(candidate.snapshot.status)),
    step.job,
  );
  if (!job) return;
  const accepted = JOB_MACHINE_EVENTS.flatMap((type) => EVENT_ROLES[type].map((role) => ({ type, role }))).filter(
    (event) => transitionJob(job.snapshot, event).ok,
  );
  const onward = accepted.filter((event) => !NOT_FORWARD.includes(event.type));
  const event = pick(step.forward && onward.length > 0 ? onward : accepted, step.event);
  if (!event) return;
  const result = transitionJob(job.snapshot, event);
  if (!result.ok) throw new Error('an accepted event was refused');
  const envelopes = result.emitted.map((type) => jobEvent(job, type, type === 'job_resolved' ? { worker_share_pct: step.share, note: 'model' } : {}));
  const repeats = Array.from({ length: step.withRepeats }, (_, index) => pick(model.delivered, step.job + index)).filter(
    (envelope): envelope is EventEnvelope => envelope !== undefined,
  );
  await deliver([...repeats, ...envelopes], step.asBatch);
  model.delivered.push(...envelopes);
  job.snapshot = result.snapshot;
  if (TERMINAL_JOB_STATUSES.includes(result.snapshot.status)) settleInModel(model, job, result.snapshot.status, step.share);
}

const transition = fc
  .record({
    job: fc.nat(),
    event: fc.nat(),
    forward: fc.integer({ min: 0, max: 3 }).map((roll) => roll > 0),
    share: fc.integer({ min: 0, max: 100 }),
    asBatch: fc.boolean(),
    withRepeats: fc.nat({ max: 2 }),
  })
  .map((step) => command(`transition(${JSON.stringify(step)})`, (model) => applyTransition(model, step)));

/** An earlier job event delivered again: as itself (same id), or as a copy with a new id (a second publication). */
const redeliver = fc.record({ event: fc.nat(), newId: fc.boolean(), asBatch: fc.boolean() }).map((p) =>
  command(`redeliver(${JSON.stringify(p)})`, async (model) => {
    const earlier = pick(model.delivered, p.event);
    if (!earlier) return;
    await deliver([p.newId ? { ...earlier, id: uuidv7() } : earlier], p.asBatch);
  }),
);

/** A hold request repeated for a job that has one, or for a fenced id. */
const repeatHold = fc.record({ job: fc.nat(), fenced: fc.boolean() }).map((p) =>
  command(`repeatHold(${JSON.stringify(p)})`, async (model) => {
    if (p.fenced) {
      const fenced = pick(model.fenced, p.job);
      if (!fenced) return;
      const outcome = real.escrow.placeHold(holdCommand(fenced.job));
      if (fenced.status === 'abandoned') expect(await codeOf(outcome)).toBe('conflict');
      else expect(await outcome).toMatchObject({ status: 'refunded', amount: fenced.job.amount });
      return;
    }
    const job = pick(model.jobs, p.job);
    if (!job) return;
    expect(await real.escrow.placeHold(holdCommand(job))).toEqual({
      hold_id: job.job_id,
      status: expectedHoldStatus(job.snapshot.status),
      currency: job.currency,
      amount: job.amount,
    });
  }),
);

const STARTING_FUNDS = 3000;

/**
 * Four fresh agents with some money in each currency, so that hires can
 * succeed from the first step. The system accounts carry money from earlier
 * runs: the model starts from what they hold now.
 */
async function initialModel(): Promise<LedgerModel> {
  const agents = Array.from({ length: 4 }, () => uuidv7());
  for (const id of agents) {
    for (const currency of CURRENCIES) {
      await real.wallets.credit({ transfer_id: `credit:${uuidv7()}`, owner: { type: 'agent', id }, currency, amount: STARTING_FUNDS });
    }
  }
  const rows = await sql<{ owner_key: string; currency: Currency; balance: string }>(
    `select owner_key, currency, balance from payments.accounts where owner_key in ('world', 'escrow', 'platform') or owner_key in (?)`,
    [agents.map((id) => `agent:${id}`)],
  );
  return {
    agents,
    balances: new Map(rows.map((row) => [accountKey(row.owner_key, row.currency), Number(row.balance)])),
    jobs: [],
    fenced: [],
    delivered: [],
    credits: [],
  };
}

describe('the ledger under random hires, transitions, abandonments and duplicate deliveries', () => {
  it('always agrees with the model and keeps every invariant', async () => {
    const commands = fc.commands(
      [deposit, hire, hire, abandonedHire, ...Array.from({ length: 6 }, () => transition), redeliver, repeatHold],
      { maxCommands: 25, size: 'max' },
    );
    await fc.assert(
      fc.asyncProperty(commands, async (sequence) => {
        const model = await initialModel();
        await fc.asyncModelRun(() => ({ model, real }), sequence);
      }),
      { numRuns: 40 },
    );
    // The runs must actually reach the ends of jobs, or the property proves little.
    const outcomes = await sql<{ status: string; n: string }>('select status, count(*) as n from payments.holds group by status');
    const reached = new Set(outcomes.map((row) => row.status));
    for (const status of ['held', 'released', 'refunded', 'split', 'abandoned']) expect(reached, `some hold ended ${status}`).toContain(status);
  });
});
