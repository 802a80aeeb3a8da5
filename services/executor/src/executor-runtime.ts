import { CONSUMERS, type ConsumerDeclaration } from '@agentmarket/contracts';
import { applyBusTopology, createLimiter, runConcurrentConsumer, type BackgroundTask, type ServiceContext, type Settlement, type WorkRunner } from '@agentmarket/messaging';
import { createGuardedFetch } from '@agentmarket/net-guard';
import { SellerEndpoints } from './a2a/seller-endpoints.ts';
import { A2aJobRunner } from './a2a/a2a-job-runner.ts';
import { A2aTasksRepository } from './a2a/a2a-tasks.repository.ts';
import { LlmCallsRepository } from './calls/llm-calls.repository.ts';
import type { ExecutorSettings } from './config.ts';
import { CircuitBreaker } from './llm/circuit-breaker.ts';
import { createLlmMetrics } from './llm/llm-metrics.ts';
import { ModelCaller } from './llm/model-caller.ts';
import { createModelClient } from './llm/model-client.ts';
import { ModelStatus } from './status/model-status.ts';
import { HostedJobRunner } from './work/hosted-job-runner.ts';
import { MarketPort } from './work/market-port.ts';

/** How a settlement is counted in agentmarket_llm_work_settled_total. */
function settledAs(settlement: Settlement): string {
  return settlement.kind === 'ack' ? settlement.result : settlement.kind === 'nak' ? 'retry' : 'dead_letter';
}

export interface ExecutorRuntime {
  status: ModelStatus;
  /** Declares the WORK and A2A seller consumers (WORK with this replica's ack wait), then runs both pull loops until shutdown. */
  startWork(): BackgroundTask;
}

/** An answer from a seller's A2A endpoint larger than this fails (the deliverable limits are far below it). */
const A2A_MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** The executor's parts, wired once per process: circuit, model status, model caller, job runner. */
export function createExecutorRuntime(context: ServiceContext, settings: ExecutorSettings): ExecutorRuntime {
  const { logger } = context;
  const modelConfigured = settings.OPENAI_API_KEY.trim() !== '';
  const circuit = new CircuitBreaker({
    failureThreshold: settings.CIRCUIT_FAILURE_THRESHOLD,
    openMs: settings.CIRCUIT_OPEN_MS,
    onChange: (change) =>
      change === 'opened'
        ? logger.warn({ open_ms: settings.CIRCUIT_OPEN_MS }, 'circuit opened: the model provider keeps failing; new work waits, then one probe call decides')
        : logger.info('circuit closed: the model provider answers again'),
  });
  const status = new ModelStatus({ modelConfigured, baseUrl: settings.OPENAI_BASE_URL, circuit });
  const shutdown = new AbortController();
  const calls = new LlmCallsRepository(context.orm);
  const metrics = createLlmMetrics(context.metrics.registry);
  const caller = modelConfigured
    ? new ModelCaller({
        client: createModelClient({ baseUrl: settings.OPENAI_BASE_URL, apiKey: settings.OPENAI_API_KEY, timeoutMs: settings.LLM_TIMEOUT_MS }),
        circuit,
        calls,
        slots: createLimiter(settings.EXECUTOR_CONCURRENCY),
        models: settings.HOSTED_MODELS,
        metrics,
        logger,
        shutdown: shutdown.signal,
      })
    : undefined;
  const declaration = { ...CONSUMERS.executor.llmWork, ackWaitSeconds: settings.LLM_WORK_ACK_WAIT_SECONDS };
  const market = new MarketPort(context.bus);
  const runner = new HostedJobRunner({
    market,
    calls,
    caller,
    circuit,
    backoff: { baseMs: settings.LLM_RETRY_BASE_MS, maxRetries: settings.LLM_MAX_RETRIES },
    maxDeliver: declaration.maxDeliver,
    models: settings.HOSTED_MODELS,
    sellerDailyCapMicro: settings.HOSTED_SELLER_DAILY_CAP_USD,
    logger,
  });
  const sellers = CONSUMERS.executor.a2aSellers;
  const sellerEndpoints = new SellerEndpoints(
    market,
    (subject, onEvent) => context.bus.connection.subscribe(subject, { callback: (error, message) => (error ? undefined : onEvent(message.data)) }),
    logger,
  );
  const a2aRunner = new A2aJobRunner({
    market,
    sellers: sellerEndpoints,
    rounds: new A2aTasksRepository(context.orm),
    guardedFetch: createGuardedFetch({
      policy: { allowPrivateNetworks: settings.A2A_ALLOW_PRIVATE_NETWORKS === 'true' },
      timeoutMs: settings.A2A_TIMEOUT_MS,
      maxBodyBytes: A2A_MAX_ANSWER_BYTES,
    }),
    maxFollowMs: settings.A2A_MAX_TASK_SECONDS * 1000,
    maxDeliver: sellers.maxDeliver,
    shutdown: shutdown.signal,
    logger: logger.child({ part: 'a2a_sellers' }),
  });

  /** Declares a consumer (retrying until the bus answers), then runs its pull loop; undefined when shutdown came first. */
  const consume = async (consumer: ConsumerDeclaration, work: WorkRunner, inHand: number, metricsToo: boolean) => {
    while (!shutdown.signal.aborted) {
      try {
        await applyBusTopology(context.bus.connection, { streams: [], consumers: [consumer], replicas: settings.STREAM_REPLICAS, logger });
        break;
      } catch (error) {
        logger.warn({ err: error, consumer: consumer.durable }, 'could not declare a consumer; trying again');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    if (shutdown.signal.aborted) return undefined;
    return runConcurrentConsumer({
      jetstream: context.jetstream,
      stream: consumer.stream,
      durable: consumer.durable,
      inHand,
      heartbeatMs: (consumer.ackWaitSeconds * 1000) / 3,
      runner: work,
      logger,
      ...(metricsToo ? { onSettled: (settlement: Settlement) => metrics.workSettled.inc({ result: settledAs(settlement) }) } : {}),
    });
  };

  const startWork = (): BackgroundTask => {
    if (!modelConfigured) {
      logger.warn(
        'no model configured: hosted services cannot be hired until OPENAI_API_KEY is set (and OPENAI_BASE_URL, default https://api.openai.com/v1, for any other OpenAI-compatible server)',
      );
    }
    // Work in hand beyond the model slots is started, read and ready (or delivering) while the slots are busy,
    // so a freed slot never waits for a pull or for the round trips before a call, even on a busy machine.
    const hosted = consume(declaration, runner, Math.min(4 * settings.EXECUTOR_CONCURRENCY, declaration.maxAckPending), true);
    // Each seller task followed holds its job event (heartbeats keep it) until the task ends.
    const a2a = consume(sellers, a2aRunner, Math.min(settings.A2A_CONCURRENCY, sellers.maxAckPending), false);
    return {
      async stop() {
        // Calls in flight end now and their work goes back to the queue for another replica; so do the seller tasks followed.
        shutdown.abort();
        await Promise.all([(await hosted)?.stop(), (await a2a)?.stop()]);
        sellerEndpoints.stop();
      },
    };
  };

  return { status, startWork };
}
