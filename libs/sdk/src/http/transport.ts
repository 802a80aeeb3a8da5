import { randomUUID } from 'node:crypto';
import { AgentMarketError, errorFromResponse, networkError } from '../errors.ts';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, retryDelayMs, sleep, type RetryPolicy } from './retry-policy.ts';
import { SDK_USER_AGENT } from './user-agent.ts';

export interface ClientOptions {
  /** Where the market is, e.g. `http://localhost:8000` (the `/api` prefix is part of every path). */
  baseUrl: string;
  /** An agent's API key, sent as `X-Agent-Key`. */
  apiKey?: string;
  /** A person's (or agent's) access token from `auth.login` / `auth.token`, sent as `Authorization: Bearer`. */
  token?: string;
  /** The operator's admin key, sent as `X-Admin-Key`. */
  adminKey?: string;
  /** A fetch implementation (defaults to the global one): for proxies, tracing or tests. */
  fetch?: typeof fetch;
  /** Retries of a call that failed transiently (network error, timeout, 429, 502–504); default 3. */
  retries?: number;
  /** Fine-tuning of the backoff; `retries` above wins over `retryPolicy.retries`. */
  retryPolicy?: Partial<RetryPolicy>;
  /** Per attempt; a timed-out attempt counts as a network error (and is retried). Default 30 s. */
  timeoutMs?: number;
  userAgent?: string;
}

/** Options every call takes. */
export interface CallOptions {
  /**
   * For state-changing calls: the `Idempotency-Key`. One is made up (a UUID) when not given,
   * and the same one is sent on every retry of this call, so a retry never repeats the effect.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Extra headers (e.g. `x-request-id` to correlate with the gateway's logs). */
  headers?: Record<string, string>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RequestParts {
  params?: Record<string, string | number>;
  query?: object | undefined;
  body?: unknown;
}

/**
 * The one place HTTP happens: URL and headers, credentials, the
 * Idempotency-Key, retries with backoff, and the error mapping.
 */
export class Transport {
  readonly baseUrl: string;
  private readonly options: ClientOptions;
  private readonly fetchImpl: typeof fetch;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    if (!options.baseUrl) throw new TypeError('AgentMarket: baseUrl is required');
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy, ...(options.retries === undefined ? {} : { retries: options.retries }) };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The credential headers this client sends. */
  authHeaders(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.options.apiKey) headers['x-agent-key'] = this.options.apiKey;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (this.options.adminKey) headers['x-admin-key'] = this.options.adminKey;
    return headers;
  }

  hasCredentials(): boolean {
    return Object.keys(this.authHeaders()).length > 0;
  }

  url(pathTemplate: string, parts: RequestParts = {}): URL {
    const path = pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = parts.params?.[name];
      if (value === undefined || value === '') throw new TypeError(`AgentMarket: path parameter "${name}" is required for ${pathTemplate}`);
      return encodeURIComponent(String(value));
    });
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(parts.query ?? {})) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    return url;
  }

  /** Sends one call (retrying what is safe to retry) and returns the parsed JSON answer, or throws an AgentMarketError. */
  async request<T>(method: HttpMethod, pathTemplate: string, parts: RequestParts = {}, call: CallOptions = {}): Promise<T> {
    const url = this.url(pathTemplate, parts);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? SDK_USER_AGENT,
      ...this.authHeaders(),
      ...call.headers,
    };
    // Chosen once, before the first attempt: every retry of this call carries the same key.
    if (method !== 'get') headers['idempotency-key'] = call.idempotencyKey ?? randomUUID();
    let body: string | undefined;
    if (parts.body !== undefined) {
      body = JSON.stringify(parts.body);
      headers['content-type'] = 'application/json';
    }
    for (let attempt = 1; ; attempt++) {
      let failure: AgentMarketError;
      try {
        const response = await this.fetchOnce(url, { method: method.toUpperCase(), headers, body }, call.signal);
        const parsed = await parseBody(response);
        if (response.ok) return parsed as T;
        failure = errorFromResponse(response.status, parsed, response.headers);
        if (!isRetryableStatus(response.status)) throw failure;
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        if (error instanceof AgentMarketError && !(error.status === 0 || isRetryableStatus(error.status))) throw error;
        failure = error instanceof AgentMarketError ? error : networkError(error);
      }
      const delay = retryDelayMs(this.policy, attempt, failure.retryAfterSeconds);
      if (delay === undefined) throw failure;
      await sleep(delay, call.signal);
    }
  }

  /** One attempt with its own timeout; the caller's signal still cancels it. */
  private async fetchOnce(url: URL, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await this.fetchImpl(url, { ...init, signal: combined });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw networkError(error, timeout.aborted ? `No answer within ${this.timeoutMs} ms` : undefined);
    }
  }

  /** A raw streaming GET (the SSE feed): credentials and user agent, no retries, no timeout. */
  async stream(pathTemplate: string, parts: RequestParts, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const url = this.url(pathTemplate, parts);
    try {
      return await this.fetchImpl(url, {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'user-agent': this.options.userAgent ?? SDK_USER_AGENT, ...this.authHeaders(), ...headers },
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw networkError(error);
    }
  }
}

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text().catch((error: unknown) => {
    // The answer began but broke off: for the caller that is a network error, as safe to retry as any.
    throw networkError(error, 'The connection broke while reading the answer');
  });
  if (text === '') return undefined;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

