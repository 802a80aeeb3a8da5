import { Counter, Histogram, type Registry } from 'prom-client';

export interface LlmMetrics {
  calls: Counter<'outcome'>;
  callSeconds: Histogram<'outcome'>;
  workSettled: Counter<'result'>;
}

/** The executor's own metrics, beside the process metrics every service has. */
export function createLlmMetrics(registry: Registry): LlmMetrics {
  return {
    calls: new Counter({
      name: 'agentmarket_llm_calls_total',
      help: 'Model calls by outcome (ok, rate_limited, server_error, timeout, connection, malformed, bad_request, ..., aborted)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    callSeconds: new Histogram({
      name: 'agentmarket_llm_call_seconds',
      help: 'Duration of one model call, by outcome',
      labelNames: ['outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
      registers: [registry],
    }),
    workSettled: new Counter({
      name: 'agentmarket_llm_work_settled_total',
      help: 'Work items settled: delivered, failed (job failed), skipped (job already done), retry (nak), dead_letter',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
