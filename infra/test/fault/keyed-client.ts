import type { AnswerLog, AnswerStatus, StepKind } from './answer-log.ts';

export interface MarketRequest {
  step: StepKind;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  agentKey?: string;
  /** Sent as Idempotency-Key; every retry repeats it with the same body. */
  idempotencyKey?: string;
}

export interface FinalAnswer {
  /** The last attempt's status, or `gave-up` when the retry bound ran out on a retryable answer. */
  status: AnswerStatus | 'gave-up';
  body: any;
  attempts: number;
  /** The first attempt's answer was retryable: what the last one says is about a repeat. */
  retried: boolean;
}

export interface ClientOptions {
  /** How long one request is retried before the client gives up on it. */
  retryForMs: number;
  /** How long one attempt may take before the client stops waiting for it (recorded as a hang). */
  hangAfterMs: number;
}

/**
 * Pauses between retries. Retry-After (2 s from the gateway) is honoured
 * only up to half a second: the suite measures recovery, and a client that
 * slept 2 s would add up to 2 s to every figure in the table.
 */
const NETWORK_RETRY_PAUSE_MS = 200;
const MAX_RETRY_AFTER_PAUSE_MS = 500;

/**
 * The careful agent the fault suite plays: each request carries its
 * Idempotency-Key, and an answer that says "not now" — 503, a cut or
 * refused connection, no answer at all, or 409 "a request with this key is
 * still in progress" (the claim of an attempt whose gateway died) — is sent
 * again with the same key and body until something else comes back or the
 * bound runs out. Every attempt lands in the answer log.
 */
export class KeyedClient {
  private readonly baseUrl: string;
  private readonly log: AnswerLog;
  private readonly options: ClientOptions;

  constructor(baseUrl: string, log: AnswerLog, options: ClientOptions) {
    this.baseUrl = baseUrl;
    this.log = log;
    this.options = options;
  }

  async send(request: MarketRequest): Promise<FinalAnswer> {
    const giveUpAt = Date.now() + this.options.retryForMs;
    for (let attempts = 1; ; attempts++) {
      const answer = await this.attempt(request);
      const pause = retryPauseMs(answer);
      if (pause === undefined) return { status: answer.status, body: answer.body, attempts, retried: attempts > 1 };
      if (Date.now() + pause > giveUpAt) return { status: 'gave-up', body: answer.body, attempts, retried: attempts > 1 };
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private async attempt(request: MarketRequest): Promise<{ status: AnswerStatus; body: any; retryAfter: string | null }> {
    const headers: Record<string, string> = {};
    if (request.agentKey) headers['x-agent-key'] = request.agentKey;
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const startedAt = Date.now();
    let status: AnswerStatus;
    let body: any;
    let retryAfter: string | null = null;
    let detail: string | undefined;
    try {
      const response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.options.hangAfterMs),
      });
      const text = await response.text();
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      body = parseJson(text);
      detail = body?.error?.code;
    } catch (error) {
      const cause = error as Error & { cause?: Error };
      status = cause.name === 'TimeoutError' ? 'hang' : 'net';
      detail = cause.cause?.message ?? cause.message;
    }
    this.log.record({
      step: request.step,
      method: request.method,
      path: request.path,
      idempotencyKey: request.idempotencyKey,
      startedAt,
      endedAt: Date.now(),
      status,
      retryAfter,
      detail,
    });
    return { status, body, retryAfter };
  }
}

/** How long to wait before sending again, or undefined when the answer is final. */
function retryPauseMs(answer: { status: AnswerStatus; body: any; retryAfter: string | null }): number | undefined {
  if (answer.status === 'net' || answer.status === 'hang') return NETWORK_RETRY_PAUSE_MS;
  if (answer.status === 503) {
    const seconds = Number(answer.retryAfter);
    return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_PAUSE_MS) : MAX_RETRY_AFTER_PAUSE_MS;
  }
  if (answer.status === 409 && isStillInProgress(answer.body)) return MAX_RETRY_AFTER_PAUSE_MS;
  return undefined;
}

/** The gateway's answer to a repeat whose first attempt has not finished (or whose gateway died holding the claim). */
function isStillInProgress(body: any): boolean {
  return body?.error?.code === 'conflict' && /in progress/i.test(String(body?.error?.message ?? ''));
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
