import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import { AppError, REQUEST_ID_HEADER, errorReply, okReply, type ErrorBody } from '@agentmarket/contracts';
import type { Logger, ProcessMetrics } from '@agentmarket/observability';
import { decodeJson, encodeJson } from './connection.ts';
import { issuesToDetails } from './zod-details.ts';

export interface RequestContext {
  requestId: string | undefined;
  logger: Logger;
}

export interface RequestHandler<S extends z.ZodType = z.ZodType> {
  schema: S;
  handle(input: z.output<S>, context: RequestContext): Promise<unknown>;
}

/** Keeps the input type of a handler tied to its schema. */
export function handler<S extends z.ZodType>(schema: S, handle: RequestHandler<S>['handle']): RequestHandler<S> {
  return { schema, handle };
}

export interface ResponderOptions {
  service: string;
  handlers: Record<string, RequestHandler>;
  logger: Logger;
  metrics: ProcessMetrics;
  /** In-flight requests per process; more wait their turn, so a burst cannot exhaust the DB pool. */
  maxConcurrent?: number;
}

/**
 * Answers request/reply subjects in queue group `<service>`, so replicas
 * share the load. Input is validated with the handler's schema; an AppError
 * becomes an `{ok: false}` reply with its code, anything else `internal`.
 */
export function serveRequests(connection: NatsConnection, options: ResponderOptions): { stop(): Promise<void> } {
  const limit = createLimiter(options.maxConcurrent ?? 64);
  const subscriptions: Subscription[] = [];
  for (const [subject, requestHandler] of Object.entries(options.handlers)) {
    subscriptions.push(
      connection.subscribe(subject, {
        queue: options.service,
        callback: (error, message) => {
          if (error) {
            options.logger.error({ err: error, subject }, 'subscription failed');
            return;
          }
          void limit(() => answer(subject, requestHandler, message, options));
        },
      }),
    );
  }
  return {
    async stop() {
      // drain() lets requests already received finish and stops new ones.
      await Promise.all(subscriptions.map((subscription) => subscription.drain()));
      await limit.idle();
    },
  };
}

async function answer(subject: string, requestHandler: RequestHandler, message: Msg, options: ResponderOptions): Promise<void> {
  const started = performance.now();
  const requestId = message.headers?.get(REQUEST_ID_HEADER) || undefined;
  const logger = options.logger.child({ subject, request_id: requestId });
  let outcome = 'ok';
  let body: unknown;
  try {
    const parsed = requestHandler.schema.safeParse(decodeJson(message.data));
    if (!parsed.success) {
      throw new AppError('validation_failed', 'The request is invalid', issuesToDetails(parsed.error.issues));
    }
    body = okReply(await requestHandler.handle(parsed.data, { requestId, logger }));
  } catch (error) {
    const errorBody = toErrorBody(error, logger);
    outcome = errorBody.code;
    body = errorReply(errorBody);
  }
  if (message.reply) message.respond(encodeJson(body));
  const seconds = (performance.now() - started) / 1000;
  options.metrics.busRequests.inc({ subject, outcome });
  options.metrics.busRequestSeconds.observe({ subject }, seconds);
  logger.debug({ outcome, ms: Math.round(seconds * 1000) }, 'request handled');
}

function toErrorBody(error: unknown, logger: Logger): ErrorBody {
  if (error instanceof AppError) return error.toBody();
  if (error instanceof SyntaxError) return { code: 'validation_failed', message: 'The request is not valid JSON', details: {} };
  logger.error({ err: error }, 'request failed unexpectedly');
  return { code: 'internal', message: 'Internal error', details: {} };
}

/** A concurrency limiter: at most `max` tasks run at once, the rest queue in order. */
export function createLimiter(max: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  const idleWaiters: (() => void)[] = [];
  // A finishing task hands its slot straight to the next queued one, so a
  // newcomer can never slip in between and exceed the limit.
  const release = () => {
    const next = queue.shift();
    if (next) return next();
    running -= 1;
    if (running === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
  };
  const run = async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => queue.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
  return Object.assign(run, {
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  });
}
