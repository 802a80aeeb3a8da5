import { createHash } from 'node:crypto';
import { headers as natsHeaders, NoRespondersError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { AppError, IDEMPOTENCY_HEADER, REQUEST_ID_HEADER, TIMEOUT_HEADER, replyEnvelopeSchema } from '@agentmarket/contracts';
import { remainingMs } from './command-scope.ts';
import { decodeJson, encodeJson } from './connection.ts';

export interface RequestOptions {
  requestId?: string;
  timeoutMs?: number;
  /** The Idempotency-Key scoped by the verified caller and route (`<scope>\n<key>`); the owning service records it with the effect. */
  idempotencyKey?: string;
}

/**
 * Typed request/reply over core NATS. A service that does not answer in time
 * (down, overloaded, or no responder at all) becomes AppError `unavailable`;
 * an `{ok: false}` reply becomes the AppError it carries.
 */
export class BusClient {
  readonly connection: NatsConnection;
  private readonly defaultTimeoutMs: number;

  constructor(connection: NatsConnection, defaultTimeoutMs = 5000) {
    this.connection = connection;
    this.defaultTimeoutMs = defaultTimeoutMs;
  }

  async request<T>(subject: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
    const timeout = this.timeoutFor(subject, options);
    const headers = natsHeaders();
    if (options.requestId) headers.set(REQUEST_ID_HEADER, options.requestId);
    // The deadline travels with the command: the responder will not begin it once we have stopped waiting.
    headers.set(TIMEOUT_HEADER, String(timeout));
    // Only a digest of the scoped key crosses the bus (and a header cannot carry the scope's newlines).
    if (options.idempotencyKey) headers.set(IDEMPOTENCY_HEADER, createHash('sha256').update(options.idempotencyKey).digest('hex'));
    let message;
    try {
      message = await this.connection.request(subject, encodeJson(payload), { timeout, headers });
    } catch (error) {
      throw toUnavailable(subject, error);
    }
    const reply = replyEnvelopeSchema.parse(decodeJson(message.data));
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, reply.error.details);
    return reply.data as T;
  }

  /** The caller's own timeout, shortened to what is left of the request being handled (deadlines propagate). */
  private timeoutFor(subject: string, options: RequestOptions): number {
    const own = options.timeoutMs ?? this.defaultTimeoutMs;
    const left = remainingMs();
    if (left === undefined) return own;
    if (left <= 0) throw new AppError('unavailable', `The ${subject.split('.')[0]} service was not asked: the request's deadline has passed`, {});
    return Math.max(1, Math.min(own, Math.floor(left)));
  }
}

function toUnavailable(subject: string, error: unknown): AppError {
  const service = subject.split('.')[0];
  const cause = error as Error & { cause?: unknown };
  const noResponders = error instanceof NoRespondersError || cause.cause instanceof NoRespondersError;
  const timedOut = error instanceof TimeoutError || cause.cause instanceof TimeoutError;
  const reason = noResponders ? 'no instance is running' : timedOut ? 'it did not answer in time' : 'the bus is unreachable';
  return new AppError('unavailable', `The ${service} service is unavailable: ${reason}`, { service });
}
