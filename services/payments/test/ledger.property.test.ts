import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, CURRENCIES, SYSTEM_ACTOR, uuidv7, type Actor, type Currency, type EventEnvelope } from '@agentmarket/contracts';
import { EVENT_ROLES, JOB_MACHINE_EVENTS, TERMINAL_JOB_STATUSES, createJobSnapshot, transitionJob, type JobMachineEvent } from '@agentmarket/job-machine';
import { dropDatabase, ensureDatabase } from '@agentmarket/local-infra';
import type { ConsumerSpec } from '@agentmarket/messaging';
import { migrateSchema, openOrm } from '@agentmarket/persistence';
import { EscrowService } from '../src/escrow/escrow.service.ts';
import { jobSettlementConsumer } from '../src/escrow/job-settlement.consumer.ts';
import { AccountDirectory } from '../src/ledger/account-directory.ts';
import { checkLedger } from '../src/ledger-check/check-ledger.ts';
import { paymentsModule } from '../src/payments.module.ts';
import { TipTransfers } from '../src/tips/tip-transfers.service.ts';
import { WalletService } from '../src/wallet/wallet.service.ts';
import { holdCommand, jobEvent, type TestJob } from './job-events.ts';
import {
  MODEL_FEE_BPS,
  MODEL_MIN_FEE,
  abandonFeeInModel,
  abandonInModel,
  accountKey,
  agentAccount,
  balanceOf,
  hireTotal,
  isBudgetOpen,
  move,
  payerOwner,
  placeInModel,
  platformFee,
  settleInModel,
  type LedgerModel,
  type ModelJob,
} from './ledger-model.ts';

// Model-based: random sequences of deposits, hires (with subtask budgets,
// sub-hires paid from them and evaluators' fees), job transitions (driven by
// the real job machine), abandoned hires, tips and duplicate deliveries of
// earlier events, hold and tip requests, applied to the real service
// functions on a real database; after every step the ledger must agree with
// the model and with its own invariants.

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `am_payments_model_${randomBytes(6).toString('hex')}`;
const logger = pino({ level: 'silent' });

interface Real {
  orm: MikroORM;
  escrow: EscrowService;
  wallets: WalletService;
  tips: TipTransfers;
  settlement: ConsumerSpec;
}
type LedgerCommand = fc.AsyncCommand<LedgerModel, Real, false>;

let real: Real;
beforeAll(async () => {
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const orm = await openOrm({ databaseUrl, schema: 'payments', entities: [], migrations: paymentsModule.migrations, poolSize: 4 });
  await migrateSchema(orm, 'payments');
  const accounts = new AccountDirectory();
  const escrow = new EscrowService(orm, { accounts, feeBps: MODEL_FEE_BPS, minFee: MODEL_MIN_FEE });
  real = {
    orm,
    escrow,
    wallets: new WalletService(orm, accounts),
    tips: new TipTransfers(orm, accounts, { feeBps: MODEL_FEE_BPS, minFee: MODEL_MIN_FEE }),
    settlement: jobSettlementConsumer(orm, escrow),
  };
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

/** What the runs got to, so that a property that never reaches a feature fails instead of proving nothing. */
const reached = new Set<string>();

/** Delivers job events as the consumer runner would: one at a time, or as one batch (which may repeat earlier events). */
async function deliver(envelopes: EventEnvelope[], asBatch: boolean): Promise<void> {
  if (asBatch && real.settlement.handleBatch) await real.settlement.handleBatch(envelopes, { logger });
  else for (const envelope of envelopes) await real.settlement.handle(envelope, { logger });
}

const SETTLED = new Set(['released', 'refunded', 'split']);

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
  if (model.holds.size > 0) {
    const holds = await sql<{ hold_id: string; status: string; settlements: string }>(
      `select h.hold_id, h.status, count(s.hold_id) as settlements
       from payments.holds h left join payments.hold_settlements s on s.hold_id = h.hold_id
       where h.hold_id in (?) group by h.hold_id`,
      [[...model.holds.keys()]],
    );
    const byId = new Map(holds.map((row) => [row.hold_id, row]));
    for (const [holdId, status] of model.holds) {
      expect(byId.get(holdId), `hold ${holdId}`).toEqual({ hold_id: holdId, status, settlements: SETTLED.has(status) ? '1' : '0' });
    }
  }
  if (model.budgets.size > 0) {
    const budgets = await sql<{ job_id: string; closed: boolean }>('select job_id, closed_at is not null as closed from payments.budgets where job_id in (?)', [
      [...model.budgets.keys()],
    ]);
    expect(new Map(budgets.map((row) => [row.job_id, row.closed])), 'budgets closed').toEqual(new Map([...model.budgets].map(([id, budget]) => [id, budget.closed])));
  }
  expect(await checkLedger(real.orm.em)).toEqual([]);
}

const currencyArb = fc.constantFrom<Currency>(...CURRENCIES);
const agentArb = fc.nat({ max: 3 });
const amountArb = fc.integer({ min: 1, max: 3000 });
/** A dispute's worker share in its three shapes: all refunded, a split, all paid. */
const shareArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 99 }), fc.constant(100));
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

interface HireParams {
  payer: number;
  worker: number;
  currency: Currency;
  amount: number;
  maxRevisions?: number;
  /** A subtask budget to fund with the hold. */
  budget?: number;
  /** Which job with a budget (open or closed) pays this hire, by index. */
  parent?: number;
  /** An evaluator (one of the two agents that are neither party) and its fee. */
  evaluator?: { agent: number; fee: number };
}

/** The job a hire asks for: a sub-hire's client is its parent's worker, and pays in the parent budget's currency. */
function jobOf(model: LedgerModel, p: HireParams): TestJob {
  const parent = p.parent === undefined ? undefined : pick(model.jobs.filter((job) => model.budgets.has(job.job_id)), p.parent);
  const clientIndex = parent ? model.agents.indexOf(parent.worker_agent_id) : p.payer;
  const workerIndex = (clientIndex + 1 + (p.worker % 3)) % 4;
  const others = [0, 1, 2, 3].filter((index) => index !== clientIndex && index !== workerIndex);
  const job_id = uuidv7();
  return {
    job_id,
    client_agent_id: model.agents[clientIndex] ?? '',
    worker_agent_id: model.agents[workerIndex] ?? '',
    currency: parent?.currency ?? p.currency,
    amount: p.amount,
    ...(p.budget ? { budget: p.budget } : {}),
    ...(parent ? { funded_by_job_id: parent.job_id } : {}),
    ...(p.evaluator ? { evaluator: { hold_id: uuidv7(), agent_id: model.agents[others[p.evaluator.agent % 2] ?? 0] ?? '', amount: p.evaluator.fee } } : {}),
  };
}

/** The answer a hold request gets: placed when its payer (a wallet, or an open parent budget) covers price, fee and budget together. */
function expectedPlacement(model: LedgerModel, job: TestJob): string {
  const parentOpen = !job.funded_by_job_id || isBudgetOpen(model, job.funded_by_job_id);
  if (parentOpen && balanceOf(model, accountKey(payerOwner(job), job.currency)) >= hireTotal(job)) return 'ok';
  return job.funded_by_job_id ? 'budget_exhausted' : 'insufficient_funds';
}

/** Jobs abandons a hire's holds by their ids, the price's first, then the evaluator fee's. */
async function abandonHolds(job: TestJob, status: 'refunded' | 'abandoned'): Promise<void> {
  expect((await real.escrow.abandon(job.job_id)).status).toBe(status);
  if (job.evaluator) expect((await real.escrow.abandon(job.evaluator.hold_id)).status).toBe(status);
}

function fence(model: LedgerModel, job: TestJob): void {
  model.holds.set(job.job_id, 'abandoned');
  if (job.evaluator) model.holds.set(job.evaluator.hold_id, 'abandoned');
  model.fenced.push({ job, status: 'abandoned' });
}

async function hireWith(model: LedgerModel, p: HireParams): Promise<void> {
  const job = jobOf(model, p);
  const expected = expectedPlacement(model, job);
  expect(await codeOf(real.escrow.placeHold(holdCommand(job)))).toBe(expected);
  reached.add(`hire:${expected}`);
  if (expected === 'ok') {
    placeInModel(model, job);
    model.jobs.push({ ...job, snapshot: createJobSnapshot({ maxRevisions: p.maxRevisions ?? 0 }), dispute: { answered: false } });
    return;
  }
  // The hire saga gives up: the ids are fenced so that a late hold cannot land.
  await abandonHolds(job, 'abandoned');
  fence(model, job);
}

const hireArb = fc.record({ payer: agentArb, worker: agentArb, currency: currencyArb, amount: amountArb, maxRevisions: fc.nat({ max: 2 }) });
const hire = hireArb.map((p) => command(`hire(${JSON.stringify(p)})`, (model) => hireWith(model, p)));

const richHireArb = fc.record({
  payer: agentArb,
  worker: agentArb,
  currency: currencyArb,
  amount: fc.integer({ min: 1, max: 1500 }),
  maxRevisions: fc.nat({ max: 2 }),
  budget: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
  parent: fc.option(fc.nat(), { nil: undefined, freq: 2 }),
  evaluator: fc.option(fc.record({ agent: fc.nat({ max: 1 }), fee: fc.integer({ min: 1, max: 300 }) }), { nil: undefined }),
});
/** A hire that may fund a subtask budget, be paid from a parent's budget, and name an evaluator. */
const richHire = richHireArb.map((p) => command(`richHire(${JSON.stringify(p)})`, (model) => hireWith(model, p)));

/** A hold placed, then abandoned by a saga that gave up on the job (a crash between the two steps of a hire). */
async function abandonedHireWith(model: LedgerModel, p: HireParams): Promise<void> {
  const job = jobOf(model, p);
  const expected = expectedPlacement(model, job);
  expect(await codeOf(real.escrow.placeHold(holdCommand(job)))).toBe(expected);
  if (expected !== 'ok') {
    await abandonHolds(job, 'abandoned');
    fence(model, job);
    return;
  }
  placeInModel(model, job);
  await abandonHolds(job, 'refunded');
  abandonInModel(model, job);
  abandonFeeInModel(model, job);
  model.fenced.push({ job, status: 'refunded' });
  reached.add(job.budget ? 'abandoned:budget' : 'abandoned:plain');
}

const abandonedHire = fc
  .record({ payer: agentArb, worker: fc.constant(0), amount: amountArb, currency: currencyArb })
  .map((p) => command(`abandonedHire(${JSON.stringify(p)})`, (model) => abandonedHireWith(model, p)));
const richAbandonedHire = richHireArb.map((p) => command(`richAbandonedHire(${JSON.stringify(p)})`, (model) => abandonedHireWith(model, p)));

/**
 * A `forward` step (3 in 4) avoids the events that end a job early, and the
 * timer's auto-completion (a second road to the same release), when the job
 * can go on: so that runs reach deliveries, disputes and resolutions often.
 */
const NOT_FORWARD: readonly string[] = ['cancel', 'fail', 'expire', 'auto_complete', 'reject'];

interface TransitionStep {
  job: number;
  event: number;
  forward: boolean;
  share: number;
  asBatch: boolean;
  withRepeats: number;
  /** What the jobs service knows beside the snapshot: the delivery deadline passed, an extension pending, the worker accepting the refund. */
  late: boolean;
  extensionPending: boolean;
  refundAccepted: boolean;
  /** When the worker answers a dispute without accepting the refund: proposes a split of `share`, or contests. */
  propose: boolean;
  /** A scripted step names its event; the run fails if the machine refuses it. */
  named?: { type: JobMachineEvent['type']; role: JobMachineEvent['role'] };
}

function actorOf(job: ModelJob, role: JobMachineEvent['role']): Actor {
  if (role === 'client') return { type: 'agent', id: job.client_agent_id };
  if (role === 'worker') return { type: 'agent', id: job.worker_agent_id };
  if (role === 'evaluator') return { type: 'agent', id: job.evaluator?.agent_id ?? null };
  if (role === 'admin') return { type: 'user', id: ADMIN_USER_ID };
  return SYSTEM_ACTOR;
}
const ADMIN_USER_ID = uuidv7();

/** The worker's share a resolution carries: refunds (accepted, or the response window passed) pay 0, an accepted proposal its split, an admin what it decides. */
function shareOf(job: ModelJob, type: JobMachineEvent['type'], step: TransitionStep): number {
  if (type === 'accept_proposal') return job.dispute.proposalPct ?? 0;
  if (type === 'resolve') return step.share;
  return 0;
}

/** Moves an open job by one event its state accepts (the real job machine decides) and delivers the event, maybe with repeats of earlier ones. */
async function applyTransition(model: LedgerModel, step: TransitionStep): Promise<void> {
  const job = pick(
    model.jobs.filter((candidate) => !TERMINAL_JOB_STATUSES.includes(candidate.snapshot.status)),
    step.job,
  );
  if (!job) return;
  const circumstances = {
    hasEvaluator: job.evaluator !== undefined,
    disputeAnswered: job.dispute.answered,
    proposalPending: job.dispute.proposalPct !== undefined,
    deliveryDeadlinePassed: step.late,
    extensionPending: step.extensionPending,
    refundAccepted: step.refundAccepted,
  };
  const accepted = JOB_MACHINE_EVENTS.flatMap((type) => EVENT_ROLES[type].map((role) => ({ ...circumstances, type, role })))
    .filter((event) => event.role !== 'evaluator' || job.evaluator !== undefined)
    .filter((event) => transitionJob(job.snapshot, event).ok);
  const onward = accepted.filter((event) => !NOT_FORWARD.includes(event.type));
  const event = step.named
    ? accepted.find((candidate) => candidate.type === step.named?.type && candidate.role === step.named.role)
    : pick(step.forward && onward.length > 0 ? onward : accepted, step.event);
  if (step.named && !event) throw new Error(`The scripted ${step.named.role} ${step.named.type} was refused in ${job.snapshot.status}`);
  if (!event) return;
  const result = transitionJob(job.snapshot, event);
  if (!result.ok) throw new Error('an accepted event was refused');
  const share = shareOf(job, event.type, step);
  const actor = actorOf(job, event.role);
  const envelopes = result.emitted.map((type) => jobEvent(job, type, type === 'job_resolved' ? { worker_share_pct: share, note: 'model' } : {}, actor));
  const repeats = Array.from({ length: step.withRepeats }, (_, index) => pick(model.delivered, step.job + index)).filter(
    (envelope): envelope is EventEnvelope => envelope !== undefined,
  );
  await deliver([...repeats, ...envelopes], step.asBatch);
  model.delivered.push(...envelopes);
  job.snapshot = result.snapshot;
  if (result.emitted.includes('dispute_responded')) job.dispute = { answered: true, ...(step.propose ? { proposalPct: step.share } : {}) };
  if (!TERMINAL_JOB_STATUSES.includes(result.snapshot.status)) return;
  const verdict = event.role === 'evaluator';
  settleInModel(model, job, result.snapshot.status, share, verdict);
  if (result.snapshot.status === 'resolved') reached.add(`resolved:${share === 0 ? 'refund' : share === 100 ? 'all' : 'split'}:${event.type}`);
  if (job.evaluator) reached.add(`evaluator fee:${verdict ? 'paid' : 'refunded'}`);
  const refundsSome = result.snapshot.status !== 'completed' && !(result.snapshot.status === 'resolved' && share === 100);
  if (job.funded_by_job_id && !isBudgetOpen(model, job.funded_by_job_id) && refundsSome) reached.add('refund into a closed budget');
}

const transitionArb = fc.record({
  job: fc.nat(),
  event: fc.nat(),
  forward: fc.integer({ min: 0, max: 3 }).map((roll) => roll > 0),
  share: shareArb,
  asBatch: fc.boolean(),
  withRepeats: fc.nat({ max: 2 }),
  late: fc.boolean(),
  extensionPending: fc.boolean(),
  refundAccepted: fc.boolean(),
  propose: fc.boolean(),
});
const transitionOf = (step: TransitionStep) => command(`transition(${JSON.stringify(step)})`, (model) => applyTransition(model, step));
const transition = transitionArb.map(transitionOf);

/** An earlier job event delivered again: as itself (same id), or as a copy with a new id (a second publication). */
const redeliver = fc.record({ event: fc.nat(), newId: fc.boolean(), asBatch: fc.boolean() }).map((p) =>
  command(`redeliver(${JSON.stringify(p)})`, async (model) => {
    const earlier = pick(model.delivered, p.event);
    if (!earlier) return;
    await deliver([p.newId ? { ...earlier, id: uuidv7() } : earlier], p.asBatch);
  }),
);

/** A hold request repeated for a job that has one, or for a fenced id (a sub-hire's, once its parent's budget closed, is refused as exhausted). */
const repeatHold = fc.record({ job: fc.nat(), fenced: fc.boolean() }).map((p) =>
  command(`repeatHold(${JSON.stringify(p)})`, async (model) => {
    if (p.fenced) {
      const fenced = pick(model.fenced, p.job);
      if (!fenced) return;
      const outcome = real.escrow.placeHold(holdCommand(fenced.job));
      const parentClosed = fenced.job.funded_by_job_id !== undefined && !isBudgetOpen(model, fenced.job.funded_by_job_id);
      if (fenced.status === 'abandoned') expect(await codeOf(outcome)).toBe(parentClosed ? 'budget_exhausted' : 'conflict');
      else expect(await outcome).toMatchObject({ status: 'refunded', amount: fenced.job.amount });
      return;
    }
    const job = pick(model.jobs, p.job);
    if (!job) return;
    expect(await real.escrow.placeHold(holdCommand(job))).toEqual({
      hold_id: job.job_id,
      status: model.holds.get(job.job_id),
      currency: job.currency,
      amount: job.amount,
    });
  }),
);

interface TipParams {
  job: number;
  amount: number;
  /** Send again an earlier tip (same id) instead of a new one. */
  repeat: boolean;
}

/** A client tips the worker of an ended job: paid once per tip id, the fee taken off; a tip the fee would swallow, or the wallet cannot cover, is refused. */
async function tipWith(model: LedgerModel, p: TipParams): Promise<void> {
  const earlier = p.repeat ? pick(model.tips, p.job) : undefined;
  const ended = pick(
    model.jobs.filter((job) => TERMINAL_JOB_STATUSES.includes(job.snapshot.status)),
    p.job,
  );
  const tipped = earlier ?? (ended ? { tip_id: uuidv7(), job: ended, amount: p.amount } : undefined);
  if (!tipped) return;
  const { job, amount } = tipped;
  const request = {
    tip_id: tipped.tip_id,
    job_id: job.job_id,
    payer: { type: 'agent' as const, id: job.client_agent_id },
    payee_agent_id: job.worker_agent_id,
    currency: job.currency,
    amount,
  };
  const fee = platformFee(amount, job.currency);
  const payer = agentAccount(job.client_agent_id, job.currency);
  const expected = amount - fee <= 0 ? 'validation_failed' : earlier || balanceOf(model, payer) >= amount ? 'ok' : 'insufficient_funds';
  expect(await codeOf(real.tips.transfer(request))).toBe(expected);
  reached.add(`tip:${earlier ? 'repeated' : expected}`);
  if (expected !== 'ok' || earlier) return;
  move(model, payer, agentAccount(job.worker_agent_id, job.currency), amount - fee);
  move(model, payer, accountKey('platform', job.currency), fee);
  model.tips.push(tipped);
}

const tip = fc
  .record({ job: fc.nat(), amount: fc.integer({ min: 1, max: 600 }), repeat: fc.boolean() })
  .map((p) => command(`tip(${JSON.stringify(p)})`, (model) => tipWith(model, p)));

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
    holds: new Map(),
    budgets: new Map(),
    tips: [],
    delivered: [],
    credits: [],
  };
}

const QUIET: Omit<TransitionStep, 'job' | 'named'> = {
  event: 0,
  forward: true,
  share: 0,
  asBatch: false,
  withRepeats: 0,
  late: false,
  extensionPending: false,
  refundAccepted: false,
  propose: false,
};
/** A scripted step: `role` sends `type` to the `job`-th open job. */
const step = (job: number, role: JobMachineEvent['role'], type: JobMachineEvent['type'], extra: Partial<TransitionStep> = {}) =>
  transitionOf({ ...QUIET, job, named: { type, role }, ...extra });
const toDispute = (job: number) => [step(job, 'worker', 'start'), step(job, 'worker', 'deliver'), step(job, 'client', 'dispute')];
const scriptedHire = (p: Partial<HireParams>) => {
  const params = { payer: 0, worker: 0, currency: 'USD' as const, amount: 300, ...p };
  return command(`hire(${JSON.stringify(params)})`, (model) => hireWith(model, params));
};

/** Every way a dispute ends, so that each property sees all three shapes of a resolution whatever the random runs draw. */
const disputeTour = [
  scriptedHire({}),
  ...toDispute(0),
  step(0, 'worker', 'respond_dispute', { refundAccepted: true }),
  scriptedHire({}),
  ...toDispute(0),
  step(0, 'worker', 'respond_dispute', { propose: true, share: 40 }),
  step(0, 'client', 'accept_proposal'),
  scriptedHire({}),
  ...toDispute(0),
  step(0, 'system', 'dispute_timeout'),
  scriptedHire({}),
  ...toDispute(0),
  step(0, 'admin', 'resolve', { share: 100 }),
  scriptedHire({}),
  ...toDispute(0),
  step(0, 'admin', 'resolve', { share: 35 }),
];

/**
 * A task tree: a root with a budget and an evaluator; two sub-hires from its
 * budget (one with a budget and an evaluator of its own, with a sub-hire of
 * its own), one it cannot cover and one after it closed; the root ends
 * before its sub-jobs, so that their refunds land in closed budgets and must
 * follow them up; then the evaluator's two outcomes, an abandoned hire with
 * a budget and a fee, and tips, repeated and refused.
 */
const treeTour = [
  scriptedHire({ amount: 400, budget: 1000, evaluator: { agent: 0, fee: 50 } }),
  scriptedHire({ parent: 0, amount: 300 }),
  scriptedHire({ parent: 0, amount: 200, budget: 100, evaluator: { agent: 1, fee: 20 } }),
  scriptedHire({ parent: 0, amount: 2000 }),
  scriptedHire({ parent: 1, amount: 50 }),
  ...toDispute(1),
  step(1, 'worker', 'respond_dispute', { propose: true, share: 40 }),
  step(1, 'client', 'accept_proposal'),
  step(0, 'worker', 'start'),
  step(0, 'worker', 'deliver'),
  step(0, 'evaluator', 'complete'),
  scriptedHire({ parent: 0, amount: 10 }),
  step(0, 'client', 'cancel'),
  step(0, 'client', 'cancel'),
  scriptedHire({ amount: 100, evaluator: { agent: 0, fee: 30 } }),
  step(0, 'worker', 'start'),
  step(0, 'worker', 'deliver'),
  step(0, 'evaluator', 'reject'),
  scriptedHire({ amount: 100, evaluator: { agent: 1, fee: 30 } }),
  step(0, 'worker', 'start'),
  step(0, 'worker', 'fail'),
  command('abandonedHire(budget and evaluator)', (model) =>
    abandonedHireWith(model, { payer: 2, worker: 1, currency: 'SAT', amount: 100, budget: 200, evaluator: { agent: 0, fee: 10 } }),
  ),
];
const scriptedTip = (p: TipParams) => command(`tip(${JSON.stringify(p)})`, (model) => tipWith(model, p));
const tipTour = [scriptedTip({ job: 0, amount: 100, repeat: false }), scriptedTip({ job: 0, amount: 100, repeat: true }), scriptedTip({ job: 1, amount: 3, repeat: false })];

/**
 * The rest of what the first property's coverage check asks for: a release,
 * a refund, a job left open, and a payer who cannot pay (the fourth agent,
 * who earned nothing in the tours).
 */
const endingsTour = [
  scriptedHire({ payer: 1 }),
  step(0, 'worker', 'start'),
  step(0, 'worker', 'deliver'),
  step(0, 'client', 'complete'),
  scriptedHire({ payer: 1, amount: 10 }),
  step(0, 'client', 'cancel'),
  scriptedHire({ payer: 3, amount: 2000 }),
  scriptedHire({ payer: 3, amount: 1500 }),
];

/**
 * Each property starts no new generated run after this long (the scripted
 * tours always run, so the coverage checks hold); a run under way always
 * finishes. On a loaded machine a run can take ten times longer: a property
 * cut off by the test's timeout instead would go on writing to the database
 * under the next one.
 */
const TIME_BUDGET_MS = 45_000;
const TEST_TIMEOUT_MS = 90_000;

/** Fewer runs than the first property: each is longer, and the commands it shares with the first are exercised there already. */
const RICH_RUNS = 12;
const RICH_COVERAGE = [
  'hire:ok',
  'hire:insufficient_funds',
  'hire:budget_exhausted',
  'abandoned:budget',
  'resolved:refund:respond_dispute',
  'resolved:refund:dispute_timeout',
  'resolved:split:accept_proposal',
  'resolved:split:resolve',
  'resolved:all:resolve',
  'evaluator fee:paid',
  'evaluator fee:refunded',
  'refund into a closed budget',
  'tip:ok',
  'tip:repeated',
  'tip:validation_failed',
];

const COMMON = [deposit, hire, hire, abandonedHire, ...Array.from({ length: 6 }, () => transition), redeliver, repeatHold];

/**
 * The property over command sequences, each from four fresh agents: the
 * scripted tours always run; past the time budget a generated run does
 * nothing (and passes), so that none is ever cut off midway.
 */
function modelRuns(commands: fc.Arbitrary<Iterable<LedgerCommand>>, tours: LedgerCommand[][]) {
  const deadline = Date.now() + TIME_BUDGET_MS;
  const scripted = new Set<Iterable<LedgerCommand>>(tours);
  return fc.asyncProperty(commands, async (sequence) => {
    if (!scripted.has(sequence) && Date.now() >= deadline) return;
    const model = await initialModel();
    await fc.asyncModelRun(() => ({ model, real }), sequence);
  });
}

describe('the ledger under random hires, transitions, abandonments and duplicate deliveries', () => {
  it('always agrees with the model and keeps every invariant', async () => {
    const commands = fc.commands(COMMON, { maxCommands: 25, size: 'max' });
    const tours = [[...disputeTour, ...endingsTour]];
    await fc.assert(modelRuns(commands, tours), { numRuns: 40, examples: tours.map((tour) => [tour] as [LedgerCommand[]]) });
    // The runs must actually reach the ends of jobs, or the property proves little.
    const outcomes = await sql<{ status: string; n: string }>('select status, count(*) as n from payments.holds group by status');
    const statuses = new Set(outcomes.map((row) => row.status));
    for (const status of ['held', 'released', 'refunded', 'split', 'abandoned']) expect(statuses, `some hold ended ${status}`).toContain(status);
    for (const shape of ['refund', 'split', 'all']) expect([...reached].some((seen) => seen.startsWith(`resolved:${shape}:`)), `a resolution of shape ${shape}`).toBe(true);
  }, TEST_TIMEOUT_MS);

  it('with task-tree budgets, evaluator fees and tips, too', async () => {
    const commands = fc.commands([...COMMON, richHire, richHire, richAbandonedHire, tip, tip], { maxCommands: 30, size: 'max' });
    reached.clear();
    const tours = [[...treeTour, ...tipTour], [...disputeTour, ...endingsTour]];
    await fc.assert(modelRuns(commands, tours), { numRuns: RICH_RUNS, examples: tours.map((tour) => [tour] as [LedgerCommand[]]) });
    const kinds = new Set((await sql<{ kind: string }>('select distinct kind from payments.transfers')).map((row) => row.kind));
    for (const kind of ['budget', 'budget_return', 'tip', 'tip_fee']) expect(kinds, `some transfer of kind ${kind}`).toContain(kind);
    for (const seen of RICH_COVERAGE) expect(reached, 'what the runs got to').toContain(seen);
  }, TEST_TIMEOUT_MS);
});
