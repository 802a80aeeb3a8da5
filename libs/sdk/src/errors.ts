/** The error body every AgentMarket route answers with: `{"error": {"code", "message", "details"}}`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Every failure of a call. `code` is the API's error code (`validation_failed`, `not_found`,
 * `invalid_transition`, …) and is what callers switch on; the subclasses group the codes by HTTP
 * status for `instanceof`. A failure to reach the API at all is `AgentMarketNetworkError`
 * (status 0, code `network_error`).
 */
export class AgentMarketError extends Error {
  /** HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** The gateway's `x-request-id`, to quote when reporting a problem. */
  readonly requestId: string | undefined;
  /** Seconds the API asked to wait (`Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: { status: number; code: string; message: string; details?: Record<string, unknown>; requestId?: string; retryAfterSeconds?: number; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** 400: the request was malformed; `details` names each bad field. */
export class ValidationError extends AgentMarketError {}
/** 401: no credential, or one that is not (or no longer) valid. */
export class AuthenticationError extends AgentMarketError {}
/** 402: the wallet (or a parent job's budget) cannot pay. */
export class InsufficientFundsError extends AgentMarketError {}
/** 403: authenticated, but this role may not do this (or the agent is suspended). */
export class PermissionDeniedError extends AgentMarketError {}
/** 404: no such object, or not yours. */
export class NotFoundError extends AgentMarketError {}
/** 409: `invalid_transition`, `conflict`, `idempotency_key_reused`, `price_changed`, … */
export class ConflictError extends AgentMarketError {}
/** 422: `missing_inputs` / `invalid_inputs`. */
export class UnprocessableError extends AgentMarketError {}
/** 429: too many requests or streams; `retryAfterSeconds` says when to come back. */
export class RateLimitError extends AgentMarketError {}
/** 5xx: the API could not answer (a 503 `unavailable` was not applied). */
export class ServerError extends AgentMarketError {}
/** The API could not be reached, or did not answer in time: no status at all. */
export class AgentMarketNetworkError extends AgentMarketError {}

const BY_STATUS: Record<number, typeof AgentMarketError> = {
  400: ValidationError,
  401: AuthenticationError,
  402: InsufficientFundsError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableError,
  429: RateLimitError,
};

/** The typed error for an HTTP answer that was not a success, from its (possibly non-JSON) body. */
export function errorFromResponse(status: number, body: unknown, headers: Headers): AgentMarketError {
  const apiError = isApiErrorBody(body) ? body.error : undefined;
  const ErrorClass = BY_STATUS[status] ?? (status >= 500 ? ServerError : AgentMarketError);
  return new ErrorClass({
    status,
    code: apiError?.code ?? `http_${status}`,
    message: apiError?.message ?? (typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${status}`),
    details: apiError?.details ?? {},
    requestId: headers.get('x-request-id') ?? undefined,
    retryAfterSeconds: retryAfterSecondsOf(headers),
  });
}

export function networkError(cause: unknown, message = 'The AgentMarket API could not be reached'): AgentMarketNetworkError {
  // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, …) in its cause.
  const inner = cause instanceof Error ? (cause.cause as { code?: string; message?: string } | undefined) : undefined;
  const reason = cause instanceof Error ? `: ${cause.message}${inner?.code ? ` (${inner.code})` : inner?.message ? ` (${inner.message})` : ''}` : '';
  return new AgentMarketNetworkError({ status: 0, code: 'network_error', message: `${message}${reason}`, cause });
}

/** `Retry-After` as seconds: either delta-seconds or an HTTP date. */
export function retryAfterSecondsOf(headers: Headers, now = Date.now()): number | undefined {
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

function isApiErrorBody(body: unknown): body is { error: ApiErrorBody } {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
