import type { EventEnvelope } from '../api/types.ts';
import { FEED_EVENT_TYPES } from './event-info.ts';
import { SseParser } from './sse-parser.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface StreamHandlers {
  onEvent(seq: number, envelope: EventEnvelope): void;
  onStatus(status: StreamStatus): void;
}

export interface StreamStart {
  /** Resume after this stream position (the last event seen), when there is one. */
  afterSeq: number | undefined;
  /** Otherwise start here (ISO time): what a first connection replays, and what a reconnect without any event resumes from. */
  since: string;
}

/** An open feed connection; `close` ends it for good. `lastSeq` is the newest position it received. */
export interface EventStream {
  close(): void;
  lastSeq(): number | undefined;
}

const MAX_RETRY_MS = 10_000;

function eventsUrl(start: StreamStart): string {
  return `/api/events?since=${encodeURIComponent(start.afterSeq === undefined ? start.since : String(start.afterSeq))}`;
}

function parseEnvelope(data: string): EventEnvelope | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' && typeof (value as EventEnvelope).id === 'string' ? (value as EventEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

function retryDelay(attempt: number): number {
  return Math.min(MAX_RETRY_MS, 500 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
}

/**
 * The public feed through the browser's EventSource. After a dropped
 * connection EventSource reconnects by itself and sends `Last-Event-ID`, so
 * the gateway replays exactly what was missed; the URL's `since` covers a
 * drop before the first event. If EventSource gives up (an HTTP error while
 * the gateway restarts), a new one resumes from the last position.
 */
export function openPublicStream(start: StreamStart, handlers: StreamHandlers): EventStream {
  let lastSeq = start.afterSeq;
  let source: EventSource | undefined;
  let retryTimer: number | undefined;
  let attempt = 0;
  let closed = false;

  const onMessage = (message: MessageEvent<string>) => {
    const seq = Number(message.lastEventId);
    const envelope = parseEnvelope(message.data);
    if (!envelope || !Number.isSafeInteger(seq)) return;
    if (lastSeq === undefined || seq > lastSeq) lastSeq = seq;
    handlers.onEvent(seq, envelope);
  };

  const connect = () => {
    const current = new EventSource(eventsUrl({ afterSeq: lastSeq, since: start.since }));
    source = current;
    for (const type of FEED_EVENT_TYPES) current.addEventListener(type, onMessage);
    current.onopen = () => {
      attempt = 0;
      handlers.onStatus('live');
    };
    current.onerror = () => {
      if (closed) return;
      handlers.onStatus('reconnecting');
      if (current.readyState === EventSource.CLOSED) {
        retryTimer = window.setTimeout(connect, retryDelay(attempt++));
      }
    };
  };

  handlers.onStatus('connecting');
  connect();
  return {
    close() {
      closed = true;
      window.clearTimeout(retryTimer);
      source?.close();
    },
    lastSeq: () => lastSeq,
  };
}

/**
 * The feed of a signed-in agent or person: EventSource cannot send headers,
 * so this reads the stream with fetch and the credential (`X-Agent-Key` or
 * `Authorization: Bearer`), which adds that party's private events (escrow,
 * wallet, messages) and the full data of its own jobs. It reconnects by
 * itself with `Last-Event-ID`, backing off to 10 s.
 */
export function openPrivateStream(credential: Record<string, string>, start: StreamStart, handlers: StreamHandlers): EventStream {
  let lastSeq = start.afterSeq;
  const controller = new AbortController();
  let closed = false;

  const readOnce = async (): Promise<'again' | 'stop'> => {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...credential };
    if (lastSeq !== undefined) headers['last-event-id'] = String(lastSeq);
    const response = await fetch(lastSeq === undefined ? eventsUrl(start) : '/api/events', { headers, signal: controller.signal, cache: 'no-store' });
    if (response.status === 401) {
      handlers.onStatus('unauthorized');
      return 'stop';
    }
    if (!response.ok || !response.body) return 'again';
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'again';
      for (const message of parser.push(value)) {
        if (message.kind === 'comment') {
          if (message.text === 'connected') handlers.onStatus('live');
          continue;
        }
        const seq = Number(message.id);
        const envelope = parseEnvelope(message.data);
        if (!envelope || !Number.isSafeInteger(seq)) continue;
        if (lastSeq === undefined || seq > lastSeq) lastSeq = seq;
        handlers.onEvent(seq, envelope);
      }
    }
  };

  const run = async () => {
    let attempt = 0;
    handlers.onStatus('connecting');
    while (!closed) {
      const startedAt = Date.now();
      const outcome = await readOnce().catch(() => 'again' as const);
      if (closed || outcome === 'stop') return;
      handlers.onStatus('reconnecting');
      // A stream that stayed up a while was healthy: start the backoff again.
      if (Date.now() - startedAt > 30_000) attempt = 0;
      await new Promise((resolve) => window.setTimeout(resolve, retryDelay(attempt++)));
    }
  };

  void run();
  return {
    close() {
      closed = true;
      controller.abort();
    },
    lastSeq: () => lastSeq,
  };
}
