import { AgentMarketError, errorFromResponse } from '../errors.ts';
import { isRetryableStatus, sleep } from '../http/retry-policy.ts';
import type { Transport } from '../http/transport.ts';
import type { EventEnvelope, MarketEvent } from './market-event.ts';
import { isAfter, reconnectDelayMs } from './reconnect-backoff.ts';
import { sseMessages } from './sse-reader.ts';

export interface SubscribeOptions {
  /** Only these event types (`?types=`); all the caller may see when absent. */
  types?: string[];
  /** Ends the subscription (the iteration then simply finishes). */
  signal?: AbortSignal;
  /** Resume after this stream position (as saved from `subscription.lastEventId`). */
  lastEventId?: string;
  /** On the first connection only, when there is no `lastEventId`: replay from a position or an ISO-8601 time. */
  since?: string;
  /** First reconnect wait (doubles per consecutive failure); default 500 ms. */
  minReconnectMs?: number;
  /** Longest reconnect wait; default 15 s. */
  maxReconnectMs?: number;
  /** A connection silent this long (no event, no heartbeat) is taken for dead; default 45 s. */
  idleTimeoutMs?: number;
  /** Told before each reconnect: for logging. */
  onReconnect?: (info: { failures: number; delayMs: number; lastEventId: string | undefined; error: unknown }) => void;
}

/**
 * The live feed as an async iterable. It reconnects by itself after any drop
 * (network error, server restart, idle connection, 429/5xx) with backoff,
 * resuming with `Last-Event-ID`, so no event is lost; events the server
 * sends again (a replay overlapping what was seen) are dropped by position,
 * so none is seen twice, and they come in stream order. It ends when the
 * signal aborts or `close()` is called; an error that reconnecting cannot
 * fix (401, 403, a bad filter) is thrown from the iteration.
 */
export class EventSubscription implements AsyncIterable<MarketEvent> {
  private readonly http: Transport;
  private readonly options: SubscribeOptions;
  private readonly stop = new AbortController();
  private last: string | undefined;
  private started = false;

  constructor(http: Transport, options: SubscribeOptions = {}) {
    this.http = http;
    this.options = options;
    this.last = options.lastEventId;
    if (options.signal) {
      if (options.signal.aborted) this.stop.abort();
      else options.signal.addEventListener('abort', () => this.stop.abort(), { once: true });
    }
  }

  /** The position of the last event delivered: save it to resume a later subscription where this one stopped. */
  get lastEventId(): string | undefined {
    return this.last;
  }

  close(): void {
    this.stop.abort();
  }

  [Symbol.asyncIterator](): AsyncGenerator<MarketEvent, void, undefined> {
    if (this.started) throw new Error('AgentMarket: an event subscription can be iterated once');
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<MarketEvent, void, undefined> {
    const minMs = this.options.minReconnectMs ?? 500;
    const maxMs = this.options.maxReconnectMs ?? 15_000;
    let failures = 0;
    let firstConnection = true;
    while (!this.stop.signal.aborted) {
      const connection = new AbortController();
      const endConnection = () => connection.abort();
      this.stop.signal.addEventListener('abort', endConnection, { once: true });
      let cause: unknown = new Error('the stream ended');
      let retryAfterMs: number | undefined;
      try {
        const response = await this.connect(connection.signal, firstConnection);
        firstConnection = false;
        if (!response.ok) {
          const error = errorFromResponse(response.status, await response.json().catch(() => undefined), response.headers);
          // Nothing a reconnect fixes: a bad credential or filter, a forbidden caller.
          if (!isRetryableStatus(response.status)) throw error;
          cause = error;
          retryAfterMs = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
        } else if (response.body) {
          for await (const message of sseMessages(response.body, { idleTimeoutMs: this.options.idleTimeoutMs ?? 45_000, onIdle: endConnection })) {
            // A replay may overlap what was already delivered: each position is delivered once, in order.
            // (The gateway numbers every event; one without an id could not be resumed after, and is passed on as it is.)
            if (message.id !== undefined) {
              if (!isAfter(message.id, this.last)) continue;
              this.last = message.id;
            }
            failures = 0;
            yield { id: message.id ?? '', type: message.event ?? 'message', data: parseEnvelope(message.data) };
          }
        }
      } catch (error) {
        if (this.stop.signal.aborted) return;
        if (error instanceof AgentMarketError && error.status >= 400 && !isRetryableStatus(error.status)) throw error;
        cause = error;
      } finally {
        this.stop.signal.removeEventListener('abort', endConnection);
        connection.abort();
      }
      failures++;
      const delayMs = Math.max(retryAfterMs ?? 0, reconnectDelayMs(failures, minMs, maxMs));
      this.options.onReconnect?.({ failures, delayMs, lastEventId: this.last, error: cause });
      try {
        await sleep(delayMs, this.stop.signal);
      } catch {
        return;
      }
    }
  }

  private connect(signal: AbortSignal, firstConnection: boolean): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.last !== undefined) headers['last-event-id'] = this.last;
    const since = firstConnection && this.last === undefined ? this.options.since : undefined;
    const types = this.options.types?.length ? this.options.types.join(',') : undefined;
    return this.http.stream('/api/events', { query: { types, since } }, headers, signal);
  }
}

function parseEnvelope(data: string): EventEnvelope {
  try {
    return JSON.parse(data) as EventEnvelope;
  } catch {
    // Not JSON (never sent by the gateway): handed on as it came rather than dropped.
    return { id: '', type: '', occurred_at: '', data: { raw: data } };
  }
}
