import { AppError, type HostedService, type JobView, type LlmArtifactMetadata, type LlmWork } from '@agentmarket/contracts';
import type { Logger } from '@agentmarket/observability';
import type { LlmCallsRepository, StoredAnswer } from '../calls/llm-calls.repository.ts';
import { retryDelayMs, type BackoffPolicy } from '../llm/backoff.ts';
import type { CircuitBreaker } from '../llm/circuit-breaker.ts';
import type { HostedModels } from '../llm/hosted-models.ts';
import { redactSystemPrompt } from '../llm/redact.ts';
import { microToUsd } from '../llm/usd-amount.ts';
import type { ModelCaller } from '../llm/model-caller.ts';
import { PromptTooLargeError, buildChatRequest, type ChatRequest } from '../llm/prompt.ts';
import type { MarketPort } from './market-port.ts';
import type { Settlement } from '@agentmarket/messaging';
import { readWorkItem, revisionOf, workKeyOf } from './work-item.ts';

export interface HostedJobRunnerOptions {
  market: MarketPort;
  calls: LlmCallsRepository;
  /** Undefined without an API key: work then waits for a model to be configured. */
  caller: ModelCaller | undefined;
  circuit: CircuitBreaker;
  backoff: BackoffPolicy;
  /** The consumer's max_deliver: the last delivery gives up instead of asking for another. */
  maxDeliver: number;
  /** The operator's allow-list: a job whose service names another model fails without a call. */
  models: HostedModels;
  /** A seller's model spend per UTC day (micro-USD) beyond which its hosted jobs fail without a call. */
  sellerDailyCapMicro: number;
  logger: Logger;
  random?: () => number;
}

/** How long work waits when this replica has no model: an operator has to act first. */
export const NO_MODEL_RETRY_MS = 5 * 60_000;
/** Redelivery delays while jobs, catalog or the database fail, by delivery; the last repeats. */
const MARKET_RETRY_MS = [1000, 5000, 15_000, 60_000];
const CIRCUIT_JITTER = 0.2;

type Step<T> = { done: Settlement } | { value: T };
type Settled<T> = Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;

/** A read started ahead of its use: never an unhandled rejection if it turns out not to be needed. */
function settled<T>(promise: Promise<T>): Settled<T> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function outcome<T>(read: Settled<T>): Promise<T> {
  const result = await read;
  if (result.ok) return result.value;
  throw result.error;
}

/**
 * Does one hosted job for one delivery of its work message: starts the job
 * (or continues one already started), calls the model, delivers or fails the
 * job, and says how to settle the message. A job that is no longer in
 * progress is never touched again, so a redelivery cannot deliver twice.
 * A revision's item does the same for a job in revision_requested at that
 * revision: its calls are recorded and reused per (job, revision).
 */
export class HostedJobRunner {
  private readonly options: HostedJobRunnerOptions;
  private readonly random: () => number;

  constructor(options: HostedJobRunnerOptions) {
    this.options = options;
    this.random = options.random ?? Math.random;
  }

  async run(data: Uint8Array, deliveryCount: number): Promise<Settlement> {
    const item = readWorkItem(data);
    if (!item.ok) return { kind: 'dead_letter', reason: item.reason };
    const work = item.work;
    const logger = this.options.logger.child({ job_id: work.job_id, revision: work.revision ?? 0, delivery: deliveryCount });
    let settlement: Settlement;
    try {
      settlement = await this.work(work, logger);
    } catch (error) {
      settlement = this.troubleAround(error, deliveryCount);
    }
    if (settlement.kind === 'nak' && deliveryCount >= this.options.maxDeliver) {
      return this.giveUp(work, `The work item was retried ${deliveryCount} times without success (last: ${settlement.note})`, logger);
    }
    this.log(logger, settlement);
    return settlement;
  }

  private async work(work: LlmWork, logger: Logger): Promise<Settlement> {
    const { caller, circuit, market } = this.options;
    if (!caller) return { kind: 'nak', delayMs: NO_MODEL_RETRY_MS, note: 'no model configured (OPENAI_API_KEY is empty)' };
    // An open circuit: wait without bothering jobs or the provider.
    const wait = circuit.waitMs();
    if (wait > 0) return this.circuitWait(wait);

    // What the call needs besides the job is read while the job starts (independent round trips, one wait): the
    // hosted configuration and the earlier calls for this revision, used once the job is ready for them. The seller's
    // spend today is read last, just before the call, so that the daily cap counts every call that ended before it.
    const key = workKeyOf(work);
    const reads = {
      hosted: settled(market.getHosted(work.service_id, work.job_id)),
      history: settled(this.options.calls.history(key)),
    };
    const started = await this.readyJob(work);
    if ('done' in started) return started.done;

    let hosted: HostedService;
    try {
      hosted = await outcome(reads.hosted);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return this.failJob(work, 'The service has no hosted configuration: the executor cannot do this job');
      throw error;
    }
    let request: ChatRequest;
    try {
      request = buildChatRequest(hosted.hosted, { title: started.value.title, input_data: started.value.input_data }, revisionOf(work));
    } catch (error) {
      if (error instanceof PromptTooLargeError) return this.failJob(work, error.message);
      throw error;
    }

    const systemPrompt = hosted.hosted.system_prompt;
    const history = await outcome(reads.history);
    if (history.answered) {
      logger.info({ attempt: history.answered.attempt }, 'delivering an answer an earlier delivery already received');
      return this.deliver(work, history.answered, systemPrompt);
    }
    if (history.counted > this.options.backoff.maxRetries) {
      return this.failJob(work, `The model call was attempted ${history.counted} times without an answer (calls cut off by crashes count)`);
    }
    const refusal = await this.spendRefusal(work, request.model);
    if (refusal) return this.failJob(work, refusal);

    const result = await caller.call(key, work.worker_agent_id, request);
    switch (result.kind) {
      case 'answered':
        return this.deliver(
          work,
          {
            attempt: result.attempt,
            model: result.answer.model,
            content: result.answer.content,
            usage: result.answer.usage,
            usageEstimated: result.answer.usageEstimated,
            latencyMs: result.latencyMs,
            costUsd: result.costUsd,
            finishReason: result.answer.finishReason,
          },
          systemPrompt,
        );
      case 'circuit_open':
        return this.circuitWait(result.retryInMs);
      case 'aborted':
        return { kind: 'nak', delayMs: 0, note: 'call aborted by shutdown' };
      case 'failed': {
        const { failure, attempt } = result;
        logger.warn({ attempt, outcome: failure.outcome, status: failure.statusCode, reason: failure.reason }, 'model call failed');
        if (!failure.retryable) return this.failJob(work, `The model provider refused the request (${failure.outcome}): ${failure.reason}`);
        const delay = retryDelayMs(attempt, this.options.backoff, failure.retryAfterMs, this.random);
        if (delay === null) {
          return this.failJob(work, `The model call failed ${attempt} times (${this.options.backoff.maxRetries} retries); last error (${failure.outcome}): ${failure.reason}`);
        }
        return { kind: 'nak', delayMs: delay, note: `retry ${attempt} of ${this.options.backoff.maxRetries} after ${failure.outcome}` };
      }
    }
  }

  /** The job, ready for this item's work; `done` when there is nothing (more) to do. */
  private readyJob(work: LlmWork): Promise<Step<JobView>> {
    return work.revision === undefined ? this.startedJob(work) : this.revisingJob(work, work.revision);
  }

  /**
   * The job awaiting this revision. Anything else — delivered already (a
   * redelivery), at a later revision (a stale item), failed, cancelled — is
   * left alone: a revision is delivered once, from revision_requested.
   */
  private async revisingJob(work: LlmWork, revision: number): Promise<Step<JobView>> {
    const job = await this.options.market.getJob(work.job_id, work.worker_agent_id);
    if (job.status !== 'revision_requested') return { done: { kind: 'ack', result: 'skipped', note: `job is ${job.status}: nothing to revise` } };
    if (job.revision_count !== revision) {
      return { done: { kind: 'ack', result: 'skipped', note: `job awaits revision ${job.revision_count}, not ${revision}` } };
    }
    return { value: job };
  }

  /**
   * The job in progress: started now if it was pending; `done` when there is nothing (more) to do.
   * A new job is pending, so the start is tried first (one round trip); a refused start means the
   * job is already in progress (a redelivery), or expired, cancelled or done: then it is looked up.
   */
  private async startedJob(work: LlmWork): Promise<Step<JobView>> {
    const { market } = this.options;
    let job: JobView;
    try {
      job = await market.startJob(work.job_id, work.worker_agent_id);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'invalid_transition')) throw error;
      job = await market.getJob(work.job_id, work.worker_agent_id);
    }
    if (job.status !== 'in_progress') return { done: { kind: 'ack', result: 'skipped', note: `job is ${job.status}: nothing to do` } };
    return { value: job };
  }

  /**
   * Why the job may not call the model, or undefined: its model left the
   * operator's list since the service was published, or its seller's model
   * spend today reached the daily cap (the client is then refunded at once).
   */
  private async spendRefusal(work: LlmWork, model: string): Promise<string | undefined> {
    if (!this.options.models.has(model)) return `The service's model ${model} is no longer offered for hosted services`;
    const spent = await this.options.calls.spentToday(work.worker_agent_id);
    if (spent >= this.options.sellerDailyCapMicro) {
      return `The seller's hosted services reached their daily model spend cap (${microToUsd(this.options.sellerDailyCapMicro)} USD); they run again after 00:00 UTC`;
    }
    return undefined;
  }

  /** Reports the job's model cost so far to payments, before the transition that settles its hold (so the settlement charges it). */
  private async reportModelCost(work: LlmWork): Promise<void> {
    const micro = await this.options.calls.jobCost(work.job_id);
    if (micro === 0) return;
    try {
      await this.options.market.recordModelCost(work.job_id, work.worker_agent_id, micro);
    } catch (error) {
      // A job with no hold (created before escrow) cannot be charged; anything else is worth a retry.
      if (!(error instanceof AppError && (error.code === 'not_found' || error.code === 'conflict'))) throw error;
      this.options.logger.warn({ job_id: work.job_id, err: error }, 'the model cost of this job cannot be charged to its seller');
    }
  }

  private async deliver(work: LlmWork, answer: StoredAnswer, systemPrompt: string): Promise<Settlement> {
    const metadata: LlmArtifactMetadata = {
      model: answer.model,
      prompt_tokens: answer.usage.prompt_tokens,
      completion_tokens: answer.usage.completion_tokens,
      total_tokens: answer.usage.total_tokens,
      latency_ms: answer.latencyMs,
      cost_usd: answer.costUsd,
      attempts: answer.attempt,
      finish_reason: answer.finishReason,
      // Only when the provider sent no usage: the token figures (and so the cost) are then estimates.
      ...(answer.usageEstimated ? { usage_estimated: true } : {}),
    };
    await this.reportModelCost(work);
    try {
      // The seller's prompt is theirs: an answer that repeats it verbatim does not hand it to the buyer.
      await this.options.market.deliver(work.job_id, work.worker_agent_id, redactSystemPrompt(answer.content, systemPrompt), metadata);
      return { kind: 'ack', result: 'delivered', note: `delivered after ${answer.attempt} attempt(s)` };
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_transition') return { kind: 'ack', result: 'skipped', note: 'job moved on before delivery' };
      if (error instanceof AppError && error.code === 'validation_failed') return this.failJob(work, `The model's answer could not be delivered: ${error.message}`);
      throw error;
    }
  }

  /** Fails the job (its escrow is refunded on job_failed); a job that moved on meanwhile is left alone. */
  private async failJob(work: LlmWork, reason: string): Promise<Settlement> {
    await this.reportModelCost(work);
    try {
      await this.options.market.fail(work.job_id, work.worker_agent_id, reason);
      return { kind: 'ack', result: 'failed', note: reason };
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_transition') return { kind: 'ack', result: 'skipped', note: 'job moved on before it could be failed' };
      throw error;
    }
  }

  /** The last delivery: fail the job if it is ours to fail, otherwise keep the message in DEAD_LETTER. */
  private async giveUp(work: LlmWork, reason: string, logger: Logger): Promise<Settlement> {
    try {
      const started = await this.readyJob(work);
      const settlement = 'done' in started ? started.done : await this.failJob(work, reason);
      this.log(logger, settlement);
      return settlement;
    } catch (error) {
      return { kind: 'dead_letter', reason: `${reason}; the job could not be failed: ${(error as Error).message}` };
    }
  }

  private circuitWait(waitMs: number): Settlement {
    return { kind: 'nak', delayMs: Math.ceil(waitMs * (1 + CIRCUIT_JITTER * this.random())), note: 'circuit open: the provider keeps failing' };
  }

  /** jobs, catalog or the database failed around the call: try again later, unless the answer was a refusal a retry cannot change. */
  private troubleAround(error: unknown, deliveryCount: number): Settlement {
    if (error instanceof AppError && error.code !== 'unavailable' && error.code !== 'internal') {
      return { kind: 'dead_letter', reason: `${error.code}: ${error.message}` };
    }
    const delay = MARKET_RETRY_MS[Math.min(deliveryCount - 1, MARKET_RETRY_MS.length - 1)] ?? 1000;
    return { kind: 'nak', delayMs: delay, note: `${(error as Error).message ?? String(error)}` };
  }

  /** A delivery is routine (debug); a retry is worth knowing (info); a failed job is news (warn). */
  private log(logger: Logger, settlement: Settlement): void {
    if (settlement.kind === 'ack' && settlement.result === 'failed') logger.warn({ reason: settlement.note }, 'hosted job failed');
    else if (settlement.kind === 'ack') logger.debug({ result: settlement.result, note: settlement.note }, 'work item settled');
    else if (settlement.kind === 'nak') logger.info({ retry_ms: settlement.delayMs, note: settlement.note }, 'work item will come back');
    else logger.error({ reason: settlement.reason }, 'work item cannot be processed');
  }
}
