import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import { LlmTimeoutError, MalformedResponseError, ModelRefusalError } from './call-errors.ts';
import { retryAfterMs } from './retry-after.ts';

/** What a failed call was, as the `outcome` of the llm_calls table and of the call metrics. */
export type RetryableOutcome = 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'malformed';
export type PermanentOutcome = 'insufficient_quota' | 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'rejected' | 'refused' | 'unexpected';

export type CallFailure =
  | { retryable: true; outcome: RetryableOutcome; statusCode: number | null; retryAfterMs: number | null; reason: string }
  | { retryable: false; outcome: PermanentOutcome; statusCode: number | null; reason: string };

/**
 * The retry policy of DESIGN.md: 429 (except `insufficient_quota`), 5xx,
 * timeouts (ours, the SDK's, a 408), connection errors and a malformed body
 * are worth another try; 400, 401, 403, `insufficient_quota` and every other
 * refusal are not.
 */
export function classifyFailure(error: unknown, now: number = Date.now()): CallFailure {
  const reason = describe(error);
  if (error instanceof LlmTimeoutError || error instanceof APIConnectionTimeoutError) return retry('timeout', null, null, reason);
  if (error instanceof MalformedResponseError || error instanceof SyntaxError) return retry('malformed', null, null, reason);
  if (error instanceof ModelRefusalError) return stop('refused', null, reason);
  // An abort we did not ask for (our own deadline and shutdown never reach here) is a dropped connection.
  if (error instanceof APIUserAbortError || error instanceof APIConnectionError) return retry('connection', null, null, reason);
  if (error instanceof APIError) {
    const status = typeof error.status === 'number' ? error.status : null;
    const wait = retryAfterMs(error.headers as Headers | undefined, now);
    if (isInsufficientQuota(error)) return stop('insufficient_quota', status, reason);
    if (status === null) return retry('connection', null, wait, reason);
    if (status === 429) return retry('rate_limited', status, wait, reason);
    if (status >= 500) return retry('server_error', status, wait, reason);
    if (status === 408) return retry('timeout', status, wait, reason);
    if (status === 400) return stop('bad_request', status, reason);
    if (status === 401) return stop('unauthorized', status, reason);
    if (status === 403) return stop('forbidden', status, reason);
    if (status === 404) return stop('not_found', status, reason);
    return stop('rejected', status, reason);
  }
  // Anything else (an SDK error about a bad option or a missing key, a bug) is a mistake a retry would repeat.
  return stop('unexpected', null, reason);
}

function isInsufficientQuota(error: APIError): boolean {
  const body = error.error as { code?: unknown; type?: unknown } | undefined;
  return error.code === 'insufficient_quota' || error.type === 'insufficient_quota' || body?.code === 'insufficient_quota' || body?.type === 'insufficient_quota';
}

function retry(outcome: RetryableOutcome, statusCode: number | null, retryAfter: number | null, reason: string): CallFailure {
  return { retryable: true, outcome, statusCode, retryAfterMs: retryAfter, reason };
}

function stop(outcome: PermanentOutcome, statusCode: number | null, reason: string): CallFailure {
  return { retryable: false, outcome, statusCode, reason };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text || (error as Error)?.name || 'unknown error').slice(0, 500);
}
