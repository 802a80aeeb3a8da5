import type pg from 'pg';
import { vi } from 'vitest';
import { waitUntilDrained } from '@agentmarket/testing';
import { AnswerLog, isSuccess, type Attempt } from './answer-log.ts';
import { BackgroundLoad } from './background-load.ts';
import { whyTheMarketCannotTrade } from './baseline-lifecycle.ts';
import { auditEffects } from './effect-audit.ts';
import type { EffectClaim } from './effect-claim.ts';
import { BUS_TIMEOUT_MS, IDEMPOTENCY_WAIT_MS, type FaultMarket } from './fault-market.ts';
import { KeyedClient } from './keyed-client.ts';
import { brokenInvariants } from './market-invariants.ts';
import type { Fault } from './scenario.ts';

/** Concurrent lifecycle clients: enough to always have requests in flight, few enough for two cores. */
const LANES = 4;
/** A request the load retries for longer than this is given up (and the lifecycle starts afresh). */
const RETRY_FOR_MS = 60_000;
/** An attempt with no answer after this long is recorded as a hang and retried. */
const HANG_AFTER_MS = 30_000;
/**
 * The longest a gateway answer may take: its wait for a repeat's first
 * request (IDEMPOTENCY_WAIT_MS) plus its wait for a service (BUS_TIMEOUT_MS,
 * the deadline every command carries), and 2 s of slack for a loaded 2-core machine.
 */
export const ANSWER_DEADLINE_MS = IDEMPOTENCY_WAIT_MS + BUS_TIMEOUT_MS + 2000;
const STEADY_TIMEOUT_MS = 60_000;
const RECOVERY_TIMEOUT_MS = 90_000;
const DRAIN_TIMEOUT_MS = 60_000;

export interface ScenarioRow {
  scenario: string;
  requestsSent: number;
  answersByStatus: Record<string, number>;
  duplicates: string[];
  lost: string[];
  /** From the fault's end to the first successful step that needs the faulted part; undefined if none succeeded. */
  secondsToRecover: number | undefined;
  slowest: Attempt | undefined;
  /** Answers the contract forbids: 5xx other than 503, 503 without Retry-After, slower than the deadline. */
  forbiddenAnswers: string[];
  invariants: string[];
  /** Repeats (same key, same body) answered with a 4xx instead of the first result. */
  replayMisses: string[];
  notes: string[];
  /** The scenario could not run to its end: what stopped it. */
  errors: string[];
}

/**
 * One scenario: the market is checked to trade at all, the load starts and
 * flows, the fault is injected, the market recovers, the load stops,
 * everything in flight drains, and then the database is audited against
 * what the clients were told.
 */
export async function runScenario(market: FaultMarket, db: pg.Client, fault: Fault): Promise<ScenarioRow> {
  const row = emptyRow(fault.name);
  const cannotTrade = await whyTheMarketCannotTrade(market, `ready-${fault.slug}`);
  if (cannotTrade) return { ...row, errors: [`not run: ${cannotTrade}`] };
  const log = new AnswerLog();
  const client = new KeyedClient(market.stack.gatewayUrl, log, { retryForMs: RETRY_FOR_MS, hangAfterMs: HANG_AFTER_MS });
  const load = new BackgroundLoad(client, fault.slug, LANES);
  let claims: EffectClaim[] = [];
  try {
    await load.waitForCompletedCycles(LANES, STEADY_TIMEOUT_MS);
    const outcome = await fault.inject({ market, db, client });
    claims.push(...outcome.claims);
    row.notes.push(...outcome.notes);
    row.secondsToRecover = await recovery(log, fault, outcome.endedAt);
    // Recovered means whole lifecycles complete again, not only one step.
    await load.waitForCompletedCycles(1, RECOVERY_TIMEOUT_MS);
  } catch (error) {
    row.errors.push((error as Error).message);
  }
  claims = [...claims, ...(await load.stop())];
  try {
    await waitUntilDrained({ natsUrl: market.stack.natsUrl, databaseUrl: market.stack.databaseUrl }, { timeoutMs: DRAIN_TIMEOUT_MS });
  } catch (error) {
    row.errors.push(`not drained: ${(error as Error).message}`);
  }
  const findings = await auditEffects(db, claims);
  row.duplicates = findings.duplicates;
  row.lost = findings.lost;
  row.invariants = await brokenInvariants(db, market.stack.databaseUrl);
  row.requestsSent = log.attempts.length;
  row.answersByStatus = log.countByStatus();
  row.slowest = log.slowest();
  row.forbiddenAnswers = log.violations({ deadlineMs: ANSWER_DEADLINE_MS, gatewayWasKilled: fault.killsGateway });
  // A repeat is only ever sent after an answer that applied nothing or was lost, so a 4xx to it
  // (409 invalid_transition: "already started") means the first result was not given back. The one
  // exception is by design: a registration's answer holds a key that is shown once and never stored, so its
  // repeat is 409 key_already_issued (the audit above still proves there is one agent, not two).
  const secretNotReplayed = (claim: EffectClaim) => claim.step === 'register' && claim.errorCode === 'key_already_issued';
  row.replayMisses = claims
    .filter((claim) => claim.retried && typeof claim.final === 'number' && claim.final >= 400 && claim.final < 500 && !secretNotReplayed(claim))
    .map((claim) => `${claim.step} ${claim.idempotencyKey}: the repeat was answered ${claim.final} ${claim.errorText ?? ''}, not the first result`);
  return row;
}

function emptyRow(scenario: string): ScenarioRow {
  return {
    scenario,
    requestsSent: 0,
    answersByStatus: {},
    duplicates: [],
    lost: [],
    secondsToRecover: undefined,
    slowest: undefined,
    forbiddenAnswers: [],
    invariants: [],
    replayMisses: [],
    notes: [],
    errors: [],
  };
}

/** Seconds from the fault's end to the first success of a step that needs the faulted part, sent after the fault ended. */
async function recovery(log: AnswerLog, fault: Fault, endedAt: number): Promise<number> {
  return vi.waitFor(
    () => {
      const first = log.attempts
        .filter((attempt) => attempt.startedAt >= endedAt && fault.recoverySteps.includes(attempt.step) && isSuccess(attempt.status))
        .sort((a, b) => a.endedAt - b.endedAt)[0];
      if (!first) throw new Error(`no ${fault.recoverySteps.join('/')} step succeeded within ${RECOVERY_TIMEOUT_MS} ms of the fault's end`);
      return (first.endedAt - endedAt) / 1000;
    },
    { timeout: RECOVERY_TIMEOUT_MS, interval: 50 },
  );
}
