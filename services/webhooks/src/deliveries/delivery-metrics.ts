import { Counter, Histogram, type Registry } from 'prom-client';

/** How an attempt ended, for the metrics: a 2xx, another status, no answer (timeout, connection), or refused by the SSRF guard. */
export type AttemptOutcome = 'delivered' | 'http_error' | 'no_answer' | 'refused';

export interface DeliveryMetrics {
  attempts: Counter<'outcome'>;
  attemptSeconds: Histogram<'outcome'>;
}

/** The webhooks service's own metrics, beside the process metrics every service has. */
export function createDeliveryMetrics(registry: Registry): DeliveryMetrics {
  return {
    attempts: new Counter({
      name: 'agentmarket_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome (delivered, http_error, no_answer, refused)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    attemptSeconds: new Histogram({
      name: 'agentmarket_webhook_attempt_seconds',
      help: 'Duration of one webhook delivery attempt, by outcome',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15],
      registers: [registry],
    }),
  };
}
