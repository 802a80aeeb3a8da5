import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics every process exposes, in one registry per process. */
export interface ProcessMetrics {
  registry: Registry;
  busRequests: Counter<'subject' | 'outcome'>;
  busRequestSeconds: Histogram<'subject'>;
  eventsConsumed: Counter<'consumer' | 'outcome'>;
  outboxPublished: Counter<'schema'>;
}

export function createMetrics(service: string): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    busRequests: new Counter({
      name: 'agentmarket_bus_requests_total',
      help: 'Requests handled on the bus, by subject and outcome (ok or the error code)',
      labelNames: ['subject', 'outcome'],
      registers: [registry],
    }),
    busRequestSeconds: new Histogram({
      name: 'agentmarket_bus_request_seconds',
      help: 'Time to handle one bus request',
      labelNames: ['subject'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsConsumed: new Counter({
      name: 'agentmarket_events_consumed_total',
      help: 'Stream messages settled by durable consumers, by outcome (ack, duplicate, nak, term)',
      labelNames: ['consumer', 'outcome'],
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'agentmarket_outbox_published_total',
      help: 'Outbox events published to JetStream',
      labelNames: ['schema'],
      registers: [registry],
    }),
  };
}
