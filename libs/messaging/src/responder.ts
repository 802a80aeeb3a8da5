import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import {
  AppError,
  IDEMPOTENCY_HEADER,
  REQUEST_ID_HEADER,
  TIMEOUT_HEADER,
  errorReply,
  MAX_JSON_DEPTH,
  findTextProblem,
  okReply,
  type ErrorBody,
} from '@agentmarket/contracts';
import type { Logger, ProcessMetrics } from '@agentmarket/observability';
import { runUnitOfWork } from '@agentmarket/persistence';
import { decodeJson, encodeJson } from './connection.ts';
import { issuesToDetails } from './zod-details.ts';
import {
  DEFAULT_REPLY_BUDGET_BYTES,
  idempotencyClaimFor,
  runInCommandScope,
  type CommandScope,
  type IdempotencyClaim,
} from './command-scope.ts';

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

/** A command wraps the HTTP body it carries in a few levels of its own ({job: {input_data: …}}). */
const COMMAND_WRAPPING_LEVELS = 4;

/** Room kept under max_payload for the reply envelope and headers. */
const ENVELOPE_ROOM_BYTES = 16 * 1024;

/**
 * Answers request/reply subjects in queue group `<service>`, so replicas
 * share the load. Input is validated with the handler's schema; an AppError
 * becomes an `{ok: false}` reply with its code, anything else `internal`.
 * Nothing a request carries can throw out of here: decoding, handling,
 * encoding and sending the reply all sit inside one error boundary.
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
          const receivedAt = Date.now();
          limit(() => answer(connection, subject, requestHandler, message, receivedAt, options)).catch((failure: unknown) =>
            options.logger.error({ err: failure, subject }, 'request could not be answered'),
          );
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

async function answer(
  connection: NatsConnection,
  subject: string,
  requestHandler: RequestHandler,
  message: Msg,
  receivedAt: number,
  options: ResponderOptions,
): Promise<void> {
  const started = performance.now();
  const requestId = message.headers?.get(REQUEST_ID_HEADER) || undefined;
  const logger = options.logger.child({ subject, request_id: requestId });
  const maxPayload = connection.info?.max_payload ?? DEFAULT_REPLY_BUDGET_BYTES + ENVELOPE_ROOM_BYTES;
  const scope: CommandScope = {
    subject,
    deadline: deadlineOf(message, receivedAt),
    idempotency: idempotencyOf(message, subject),
    replyBudgetBytes: Math.max(1024, maxPayload - ENVELOPE_ROOM_BYTES),
    onReplay: () => options.metrics.idempotentReplays.inc({ subject }),
  };
  let outcome = 'ok';
  let body: unknown;
  try {
    if (scope.deadline !== undefined && Date.now() >= scope.deadline) {
      // The caller has given up (it waited in our queue too long): beginning now would apply an
      // effect nobody hears about. Not applied; a retry with the same key is safe.
      options.metrics.commandsExpired.inc({ subject });
      logger.warn({ waited_ms: Date.now() - receivedAt }, 'request expired before it began: not applied');
      throw new AppError('unavailable', 'The request expired before it began; it was not applied', {});
    }
    const command = decodeJson(message.data);
    const unsafe = findTextProblem(command, MAX_JSON_DEPTH + COMMAND_WRAPPING_LEVELS);
    if (unsafe) throw new AppError('validation_failed', 'The request is invalid', { [unsafe.path]: unsafe.problem });
    const parsed = requestHandler.schema.safeParse(command);
    if (!parsed.success) {
      throw new AppError('validation_failed', 'The request is invalid', issuesToDetails(parsed.error.issues));
    }
    const data = await runInCommandScope(scope, () => runUnitOfWork(() => requestHandler.handle(parsed.data, { requestId, logger })));
    if (scope.idempotency && !scope.idempotency.recorded) {
      // A keyed command whose use case did not go through commandTransaction: retries are not protected.
      logger.warn('a command with an Idempotency-Key was applied without recording the key');
    }
    body = okReply(data);
  } catch (error) {
    const errorBody = toErrorBody(error, logger);
    outcome = errorBody.code;
    body = errorReply(errorBody);
  }
  if (message.reply) outcome = sendReply(message, body, maxPayload, outcome, logger, () => options.metrics.repliesTooLarge.inc({ subject }));
  const seconds = (performance.now() - started) / 1000;
  options.metrics.busRequests.inc({ subject, outcome });
  options.metrics.busRequestSeconds.observe({ subject }, seconds);
  logger.debug({ outcome, ms: Math.round(seconds * 1000) }, 'request handled');
}

/**
 * Sends the reply if it fits the server's max_payload, else a
 * `reply_too_large` error (a publish above the limit would throw and the
 * caller would wait for nothing). Returns the outcome for the metrics.
 */
function sendReply(message: Msg, body: unknown, maxPayload: number, outcome: string, logger: Logger, countTooLarge: () => void): string {
  try {
    let encoded = encodeJson(body);
    if (encoded.byteLength > maxPayload - 1024) {
      countTooLarge();
      logger.error({ bytes: encoded.byteLength, max_payload: maxPayload }, 'reply exceeds the bus max_payload');
      encoded = encodeJson(
        errorReply({ code: 'reply_too_large', message: 'The answer is larger than the bus can carry', details: { bytes: encoded.byteLength, max_bytes: maxPayload } }),
      );
      outcome = 'reply_too_large';
    }
    message.respond(encoded);
  } catch (error) {
    // The connection closed or is draining: the caller times out and may retry with its key.
    logger.error({ err: error }, 'could not send the reply');
    return 'reply_failed';
  }
  return outcome;
}

function deadlineOf(message: Msg, receivedAt: number): number | undefined {
  const timeout = Number(message.headers?.get(TIMEOUT_HEADER));
  // Relative, not an absolute time: the two hosts' clocks need not agree.
  return Number.isFinite(timeout) && timeout > 0 ? receivedAt + timeout : undefined;
}

function idempotencyOf(message: Msg, subject: string): IdempotencyClaim | undefined {
  const scopedKey = message.headers?.get(IDEMPOTENCY_HEADER);
  return scopedKey ? idempotencyClaimFor(scopedKey, subject, message.data) : undefined;
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
