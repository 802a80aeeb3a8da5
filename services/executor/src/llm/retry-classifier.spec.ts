import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  OAuthError,
  OpenAIError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import { LlmTimeoutError, MalformedResponseError, ModelRefusalError } from './call-errors.ts';
import { classifyFailure } from './retry-classifier.ts';
import { retryAfterMs } from './retry-after.ts';

const NOW = Date.parse('2026-11-22T12:00:00Z');

function httpError(status: number, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return APIError.generate(status, { error: { message: 'failed', ...body } }, undefined, new Headers(headers));
}

describe('the retry classifier', () => {
  it('retries 429 and remembers its Retry-After', () => {
    const failure = classifyFailure(httpError(429, {}, { 'retry-after': '3' }), NOW);
    expect(httpError(429)).toBeInstanceOf(RateLimitError);
    expect(failure).toMatchObject({ retryable: true, outcome: 'rate_limited', statusCode: 429, retryAfterMs: 3000 });
  });

  it('does not retry a 429 that says the quota is spent', () => {
    expect(classifyFailure(httpError(429, { code: 'insufficient_quota', type: 'insufficient_quota' }), NOW)).toMatchObject({
      retryable: false,
      outcome: 'insufficient_quota',
      statusCode: 429,
    });
    expect(classifyFailure(httpError(429, { type: 'insufficient_quota' }), NOW)).toMatchObject({ retryable: false, outcome: 'insufficient_quota' });
  });

  it('retries every 5xx, with a Retry-After when the server sends one', () => {
    for (const status of [500, 502, 503, 504, 529]) {
      const error = httpError(status);
      expect(error).toBeInstanceOf(InternalServerError);
      expect(classifyFailure(error, NOW)).toMatchObject({ retryable: true, outcome: 'server_error', statusCode: status, retryAfterMs: null });
    }
    expect(classifyFailure(httpError(503, {}, { 'retry-after-ms': '1500' }), NOW)).toMatchObject({ retryAfterMs: 1500 });
  });

  it('retries timeouts: our deadline, the SDK timeout and a 408', () => {
    expect(classifyFailure(new LlmTimeoutError(1000), NOW)).toMatchObject({ retryable: true, outcome: 'timeout' });
    expect(classifyFailure(new APIConnectionTimeoutError(), NOW)).toMatchObject({ retryable: true, outcome: 'timeout' });
    expect(classifyFailure(httpError(408), NOW)).toMatchObject({ retryable: true, outcome: 'timeout', statusCode: 408 });
  });

  it('retries connection errors and aborts it did not ask for', () => {
    expect(classifyFailure(new APIConnectionError({ message: 'ECONNREFUSED' }), NOW)).toMatchObject({ retryable: true, outcome: 'connection' });
    expect(classifyFailure(new APIUserAbortError(), NOW)).toMatchObject({ retryable: true, outcome: 'connection' });
    expect(classifyFailure(APIError.generate(undefined as unknown as number, undefined, 'socket hang up', undefined), NOW)).toMatchObject({
      retryable: true,
      outcome: 'connection',
    });
  });

  it('retries a malformed body: unparsable JSON or not a chat completion', () => {
    expect(classifyFailure(new SyntaxError('Unexpected token < in JSON'), NOW)).toMatchObject({ retryable: true, outcome: 'malformed' });
    expect(classifyFailure(new MalformedResponseError('no choices'), NOW)).toMatchObject({ retryable: true, outcome: 'malformed' });
  });

  it('does not retry 400, 401, 403 or any other client error', () => {
    const cases: [APIError, string, unknown][] = [
      [httpError(400), 'bad_request', BadRequestError],
      [httpError(401), 'unauthorized', AuthenticationError],
      [httpError(403), 'forbidden', PermissionDeniedError],
      [httpError(404), 'not_found', NotFoundError],
      [httpError(409), 'rejected', ConflictError],
      [httpError(422), 'rejected', UnprocessableEntityError],
      [httpError(413), 'rejected', APIError],
    ];
    for (const [error, outcome, type] of cases) {
      expect(error).toBeInstanceOf(type as typeof APIError);
      expect(classifyFailure(error, NOW)).toMatchObject({ retryable: false, outcome, statusCode: error.status });
    }
    expect(classifyFailure(new OAuthError(401, { error: 'invalid_grant' }, new Headers()), NOW)).toMatchObject({ retryable: false, outcome: 'unauthorized' });
  });

  it('does not retry a refusal, an SDK usage error or anything unknown', () => {
    expect(classifyFailure(new ModelRefusalError('no'), NOW)).toMatchObject({ retryable: false, outcome: 'refused' });
    expect(classifyFailure(new OpenAIError('Missing credentials'), NOW)).toMatchObject({ retryable: false, outcome: 'unexpected' });
    expect(classifyFailure(new LengthFinishReasonError(), NOW)).toMatchObject({ retryable: false, outcome: 'unexpected' });
    expect(classifyFailure(new ContentFilterFinishReasonError(), NOW)).toMatchObject({ retryable: false, outcome: 'unexpected' });
    expect(classifyFailure(new TypeError('x is undefined'), NOW)).toMatchObject({ retryable: false, outcome: 'unexpected' });
    expect(classifyFailure('a string', NOW)).toMatchObject({ retryable: false, outcome: 'unexpected', reason: 'a string' });
  });

  it('keeps a readable reason', () => {
    expect(classifyFailure(httpError(400, { message: 'max_tokens is too large' }), NOW).reason).toBe('400 max_tokens is too large');
  });
});

describe('Retry-After', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), NOW)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }), NOW)).toBe(500);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(NOW + 7000).toUTCString() }), NOW)).toBe(7000);
  });

  it('is null when absent or unreadable, and never negative', () => {
    expect(retryAfterMs(undefined, NOW)).toBeNull();
    expect(retryAfterMs(new Headers(), NOW)).toBeNull();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeNull();
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(NOW - 7000).toUTCString() }), NOW)).toBe(0);
  });
});
