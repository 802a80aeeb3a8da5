import type { Logger } from '@agentmarket/observability';
import type { LlmCallsRepository, WorkKey } from '../calls/llm-calls.repository.ts';
import { CallAbortedError } from './call-errors.ts';
import type { ModelAnswer } from './chat-completion.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { costUsd, type TokenPrices } from './cost.ts';
import type { HostedModels } from './hosted-models.ts';
import type { LlmMetrics } from './llm-metrics.ts';
import type { ModelClient } from './model-client.ts';
import type { ChatRequest } from './prompt.ts';
import { classifyFailure, type CallFailure } from './retry-classifier.ts';

export type CallResult =
  | { kind: 'answered'; answer: ModelAnswer; attempt: number; latencyMs: number; costUsd: string }
  | { kind: 'failed'; failure: CallFailure; attempt: number }
  | { kind: 'circuit_open'; retryInMs: number }
  | { kind: 'aborted' };

/** Runs at most N tasks at once (createLimiter of libs/messaging has this shape). */
export type SlotLimiter = <T>(task: () => Promise<T>) => Promise<T>;

export interface ModelCallerOptions {
  client: ModelClient;
  circuit: CircuitBreaker;
  calls: LlmCallsRepository;
  slots: SlotLimiter;
  /** Prices per model: a call is priced at the model it asked for (the runner only asks for listed ones). */
  models: HostedModels;
  metrics: LlmMetrics;
  logger: Logger;
  /** Fires when this replica shuts down: calls in flight end as `aborted` and their work goes back to the queue. */
  shutdown: AbortSignal;
}

const UNPRICED: TokenPrices = { promptPer1k: '0', completionPer1k: '0' };

type RawOutcome = { id: number; attempt: number; probe: boolean; startedAt: Date; latencyMs: number } & (
  | { answer: ModelAnswer; error?: undefined }
  | { answer?: undefined; error: unknown }
);

/**
 * One model call with everything around it: a concurrency slot held for the
 * call only, the circuit's permission, a row in llm_calls, the circuit's
 * verdict and the metrics.
 */
export class ModelCaller {
  private readonly options: ModelCallerOptions;

  constructor(options: ModelCallerOptions) {
    this.options = options;
  }

  /** `work` is the job and revision the call is for: its row is numbered among that revision's attempts. */
  async call(work: WorkKey, sellerAgentId: string, request: ChatRequest): Promise<CallResult> {
    const { circuit, calls, client, shutdown } = this.options;
    const raw = await this.options.slots(async (): Promise<RawOutcome | { retryInMs: number } | 'shutdown'> => {
      // Work that waited for a slot while the replica began to stop is handed back without a call.
      if (shutdown.aborted) return 'shutdown';
      const admission = circuit.admit();
      if (!admission.allowed) return { retryInMs: admission.retryInMs };
      let row: { id: number; attempt: number };
      try {
        row = await calls.start(work, request.model, sellerAgentId);
      } catch (error) {
        circuit.recordNoVerdict(admission.probe);
        throw error;
      }
      const startedAt = new Date();
      const began = performance.now();
      try {
        const answer = await client.complete(request, shutdown);
        return { ...row, probe: admission.probe, startedAt, latencyMs: performance.now() - began, answer };
      } catch (error) {
        return { ...row, probe: admission.probe, startedAt, latencyMs: performance.now() - began, error };
      }
    });
    if (raw === 'shutdown') return { kind: 'aborted' };
    if ('retryInMs' in raw) return { kind: 'circuit_open', retryInMs: raw.retryInMs };
    return raw.answer ? this.answered(raw, raw.answer, request.model) : this.failed(raw, raw.error);
  }

  private async answered(raw: RawOutcome, answer: ModelAnswer, askedModel: string): Promise<CallResult> {
    this.options.circuit.recordAnswer();
    const cost = costUsd(answer.usage, this.options.models.get(askedModel) ?? UNPRICED);
    this.observe('ok', raw.latencyMs);
    await this.finish(raw, {
      outcome: 'ok',
      statusCode: 200,
      model: answer.model,
      usage: answer.usage,
      usageEstimated: answer.usageEstimated,
      costUsd: cost,
      finishReason: answer.finishReason,
      content: answer.content,
    });
    return { kind: 'answered', answer, attempt: raw.attempt, latencyMs: Math.round(raw.latencyMs), costUsd: cost };
  }

  private async failed(raw: RawOutcome, error: unknown): Promise<CallResult> {
    const { circuit } = this.options;
    if (error instanceof CallAbortedError) {
      circuit.recordNoVerdict(raw.probe);
      this.observe('aborted', raw.latencyMs);
      await this.finish(raw, { outcome: 'aborted', error: error.message });
      return { kind: 'aborted' };
    }
    const failure = classifyFailure(error);
    if (failure.retryable) circuit.recordFailure(raw.probe);
    // A refusal with a status (400, 401, insufficient_quota...) shows the provider is up; an error of ours shows nothing.
    else if (failure.statusCode !== null || failure.outcome === 'refused') circuit.recordAnswer();
    else circuit.recordNoVerdict(raw.probe);
    this.observe(failure.outcome, raw.latencyMs);
    await this.finish(raw, { outcome: failure.outcome, statusCode: failure.statusCode, error: failure.reason });
    return { kind: 'failed', failure, attempt: raw.attempt };
  }

  private observe(outcome: string, latencyMs: number): void {
    this.options.metrics.calls.inc({ outcome });
    this.options.metrics.callSeconds.observe({ outcome }, latencyMs / 1000);
  }

  /** The audit row is bookkeeping: failing to finish it must not lose an answer already paid for. */
  private async finish(raw: RawOutcome, fields: Omit<Parameters<LlmCallsRepository['finish']>[1], 'startedAt' | 'latencyMs'>): Promise<void> {
    try {
      await this.options.calls.finish(raw.id, { ...fields, startedAt: raw.startedAt, latencyMs: raw.latencyMs });
    } catch (error) {
      this.options.logger.warn({ err: error, call_id: raw.id }, 'could not record the end of a model call');
    }
  }
}
