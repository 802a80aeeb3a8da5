import { headers as natsHeaders, NoRespondersError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { AppError, REQUEST_ID_HEADER, replyEnvelopeSchema } from '@agentmarket/contracts';
import { decodeJson, encodeJson } from './connection.ts';

export interface RequestOptions {
  requestId?: string;
  timeoutMs?: number;
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
    const headers = natsHeaders();
    if (options.requestId) headers.set(REQUEST_ID_HEADER, options.requestId);
    let message;
    try {
      message = await this.connection.request(subject, encodeJson(payload), {
        timeout: options.timeoutMs ?? this.defaultTimeoutMs,
        headers,
      });
    } catch (error) {
      throw toUnavailable(subject, error);
    }
    const reply = replyEnvelopeSchema.parse(decodeJson(message.data));
    if (!reply.ok) throw new AppError(reply.error.code, reply.error.message, reply.error.details);
    return reply.data as T;
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
