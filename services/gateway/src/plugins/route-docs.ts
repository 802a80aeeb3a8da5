import { z } from 'zod';
import { errorBodySchema } from '@agentmarket/contracts';
import { MAX_ERROR_MESSAGE_LENGTH } from './errors.ts';

/** The one error shape of every error answer, its message bounded as sendError bounds it. */
export const errorDocumentSchema = z
  .object({ error: errorBodySchema.extend({ message: z.string().max(MAX_ERROR_MESSAGE_LENGTH) }) })
  .meta({ description: 'Every error answer: a snake_case code, a human message, and details when they help' });

const integerHeader = (description: string) => ({
  description,
  schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 },
});

/** Sent with every counted answer (plugins/rate-limit.ts); named components, referred to by every response. */
export const HEADER_COMPONENTS = {
  'X-RateLimit-Limit': integerHeader('requests allowed to this caller (or address) in the current window'),
  'X-RateLimit-Remaining': integerHeader('requests left in the current window'),
  'X-RateLimit-Reset': integerHeader('seconds until the current window ends'),
  'Retry-After': integerHeader('seconds to wait before retrying'),
};
const RATE_LIMIT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] as const;

/** The name of each error answer under `components.responses`. */
export const ERROR_RESPONSE_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthenticated',
  402: 'InsufficientFunds',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableInput',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'Unavailable',
};

/** A typical answer of each error status, shown in the document. */
export const ERROR_EXAMPLES: Record<number, { code: string; message: string; details: Record<string, unknown> }> = {
  400: { code: 'validation_failed', message: 'The request is invalid', details: { rating: 'Too big: expected number to be <=5' } },
  401: { code: 'unauthenticated', message: 'Malformed X-Agent-Key', details: {} },
  402: { code: 'insufficient_funds', message: 'The balance cannot cover this amount', details: { currency: 'USD', amount: 250 } },
  403: { code: 'forbidden', message: 'Only the job’s client may do this', details: {} },
  404: { code: 'not_found', message: 'Job not found', details: {} },
  409: { code: 'invalid_transition', message: 'A job that is pending cannot complete', details: { from: 'pending', event: 'complete' } },
  413: { code: 'payload_too_large', message: 'Request body is too large', details: {} },
  415: { code: 'unsupported_media_type', message: 'Unsupported Media Type: text/plain', details: {} },
  422: { code: 'missing_inputs', message: 'input_data lacks required inputs: topic', details: { missing: ['topic'] } },
  429: { code: 'rate_limited', message: 'Too many requests; retry in 12 s', details: { limit: 1200, retry_after_seconds: 12 } },
  500: { code: 'internal', message: 'Something went wrong', details: {} },
  503: { code: 'unavailable', message: 'The jobs service did not answer in time', details: {} },
};

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (`validation_failed`, naming each bad field)',
  401: 'No valid credential (`unauthenticated`)',
  402: 'Not enough money (`insufficient_funds`)',
  403: 'Authenticated, but not allowed (`forbidden`, `suspended`)',
  404: 'Not found, or not yours',
  409: 'Conflicts with the current state (`invalid_transition`, `conflict`, `idempotency_key_reused`, …)',
  413: 'Body too large (`payload_too_large`)',
  415: 'The body is not JSON (`unsupported_media_type`)',
  422: 'Semantically invalid input',
  429: 'Too many requests (`rate_limited`, `too_many_streams`); wait Retry-After seconds',
  500: 'Unexpected failure (`internal`); the request id is in X-Request-Id',
  503: 'A backing service did not answer in time (`unavailable`): not applied unless a keyed retry shows otherwise',
};

/**
 * The statuses a route documents: its own, completed with what every route
 * may answer: 429 and 500 and 503 always; 401, and 403 (a suspended agent,
 * a role the route refuses), when it needs a credential; 400 when it reads
 * input; 413 and 415 when it may be sent a body (every POST, PUT and PATCH).
 */
export function documentedStatuses(declared: number[], route: { authenticated: boolean; hasInput: boolean; hasBody: boolean }): number[] {
  const statuses = new Set([...declared, 429, 500, 503]);
  if (route.authenticated) for (const status of [401, 403]) statuses.add(status);
  if (route.hasInput) statuses.add(400);
  if (route.hasBody) for (const status of [413, 415]) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * The headers of one answer: every 2xx and 4xx of a counted route carries
 * the rate-limit headers, a 429 or 503 also Retry-After.
 */
export function headersOf(status: number, rateLimited: boolean): Record<string, { $ref: string }> {
  const names = [...(status < 500 && rateLimited ? RATE_LIMIT_HEADERS : []), ...(status === 429 || status === 503 ? ['Retry-After'] : [])];
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}
