import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ScrapeSamplers } from './scrape-samplers.ts';

/** The metrics every process exposes, in one registry per process. */
export interface ProcessMetrics {
  registry: Registry;
  busRequests: Counter<'subject' | 'outcome'>;
  busRequestSeconds: Histogram<'subject'>;
  eventsConsumed: Counter<'consumer' | 'outcome'>;
  outboxPublished: Counter<'schema'>;
  /** Unhandled rejections and uncaught exceptions the process survived (or exited on). */
  processFaults: Counter<'kind'>;
  /** Replies that would not fit the bus's max_payload, answered with an error instead. */
  repliesTooLarge: Counter<'subject'>;
  /** Commands not begun because their caller's deadline had passed. */
  commandsExpired: Counter<'subject'>;
  /** Keyed commands answered from the idempotency record instead of being applied again. */
  idempotentReplays: Counter<'subject'>;
  /** What refreshes the sampled gauges below at each scrape; consumers and relays add themselves. */
  samplers: ScrapeSamplers;
  /** Stored messages a durable has not been given yet (JetStream num_pending): its lag. Sampled. */
  consumerPending: Gauge<'consumer' | 'stream'>;
  /** Messages a durable was given and has not settled yet (num_ack_pending, redeliveries waiting included). Sampled. */
  consumerAckPending: Gauge<'consumer' | 'stream'>;
  /** Messages this process moved to DEAD_LETTER, by durable. */
  deadLettersMoved: Counter<'consumer'>;
  /** Messages stored in DEAD_LETTER under `dlq.<durable>` (every replica's, until an operator purges them). Sampled. */
  deadLetterMessages: Gauge<'consumer'>;
  /** Outbox rows committed and not yet published to JetStream. Sampled. */
  outboxBacklog: Gauge<'schema'>;
  /** Age of the oldest unpublished outbox row (0 when none). Sampled. */
  outboxOldestUnsentSeconds: Gauge<'schema'>;
}

/** How often the event-loop lag histogram takes a sample. */
const EVENT_LOOP_SAMPLE_MS = 100;

export function createMetrics(service: string): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // The event-loop lag histogram samples on a timer: at the library's default of 10 ms that woke every service 100
  // times a second, idle or not (about 1 ms of CPU per second each). A blocked loop delays the timer by as long
  // at 100 ms too, so the lag figures still show it.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const samplers = new ScrapeSamplers();
  // Every sampled gauge asks for the same pass; the first one to collect starts it.
  const sampled = { collect: () => samplers.refresh(), registers: [registry] };
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
    processFaults: new Counter({
      name: 'agentmarket_process_faults_total',
      help: 'Unhandled promise rejections and uncaught exceptions caught by the process guard, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    repliesTooLarge: new Counter({
      name: 'agentmarket_bus_replies_too_large_total',
      help: 'Bus replies larger than the server max_payload, replaced by a reply_too_large error',
      labelNames: ['subject'],
      registers: [registry],
    }),
    commandsExpired: new Counter({
      name: 'agentmarket_bus_commands_expired_total',
      help: 'Bus requests not begun because the caller had already given up (deadline passed)',
      labelNames: ['subject'],
      registers: [registry],
    }),
    idempotentReplays: new Counter({
      name: 'agentmarket_idempotent_replays_total',
      help: 'Commands with an Idempotency-Key answered with the first result instead of being applied again',
      labelNames: ['subject'],
      registers: [registry],
    }),
    samplers,
    consumerPending: new Gauge({
      name: 'agentmarket_consumer_pending_messages',
      help: 'Messages stored for a durable consumer and not yet delivered to it (JetStream num_pending): the consumer lag',
      labelNames: ['consumer', 'stream'],
      ...sampled,
    }),
    consumerAckPending: new Gauge({
      name: 'agentmarket_consumer_ack_pending_messages',
      help: 'Messages delivered to a durable consumer and not yet acked or terminated (JetStream num_ack_pending)',
      labelNames: ['consumer', 'stream'],
      ...sampled,
    }),
    deadLettersMoved: new Counter({
      name: 'agentmarket_dead_letters_total',
      help: 'Messages this process copied to DEAD_LETTER and terminated, by durable consumer',
      labelNames: ['consumer'],
      registers: [registry],
    }),
    deadLetterMessages: new Gauge({
      name: 'agentmarket_dead_letter_messages',
      help: 'Messages stored in DEAD_LETTER for a durable consumer (subject dlq.<durable>), whoever moved them',
      labelNames: ['consumer'],
      ...sampled,
    }),
    outboxBacklog: new Gauge({
      name: 'agentmarket_outbox_backlog',
      help: 'Outbox rows committed and not yet published to JetStream',
      labelNames: ['schema'],
      ...sampled,
    }),
    outboxOldestUnsentSeconds: new Gauge({
      name: 'agentmarket_outbox_oldest_unsent_seconds',
      help: 'Age of the oldest outbox row not yet published (0 when the outbox is empty)',
      labelNames: ['schema'],
      ...sampled,
    }),
  };
}
