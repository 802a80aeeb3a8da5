import { z } from 'zod';
import { errorBodySchema } from '@agentmarket/contracts';
import { MAX_ERROR_MESSAGE_LENGTH } from './errors.ts';

/** Who may call a route, as the OpenAPI document shows it (the route's preHandler enforces it). */
export type RouteAccess = 'agent' | 'agent-key' | 'admin' | 'agent-or-admin' | 'person';

/**
 * The security requirements of each kind of route. Alternatives are listed
 * one per object (any one of them is enough). `bearerAuth` is a JWT from
 * POST /api/auth/login (people) or POST /api/auth/token (agents); its role
 * decides which routes accept it. Public routes declare `[]`: no credential.
 */
const SECURITY: Record<RouteAccess, Record<string, string[]>[]> = {
  agent: [{ agentKey: [] }, { bearerAuth: [] }],
  'agent-key': [{ agentKey: [] }],
  admin: [{ adminKey: [] }, { bearerAuth: [] }],
  'agent-or-admin': [{ agentKey: [] }, { bearerAuth: [] }, { adminKey: [] }],
  person: [{ bearerAuth: [] }],
};

export function securityOf(access: RouteAccess | undefined): Record<string, string[]>[] {
  return access ? SECURITY[access] : [];
}

const integerHeader = (description: string) => ({ type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647, description });

/** Sent with every counted answer (plugins/rate-limit.ts). */
const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': integerHeader('requests allowed to this caller (or address) in the current window'),
  'X-RateLimit-Remaining': integerHeader('requests left in the current window'),
  'X-RateLimit-Reset': integerHeader('seconds until the current window ends'),
};
const RETRY_AFTER_HEADER = { 'Retry-After': integerHeader('seconds to wait before retrying') };

/** Every error answer, whatever the route: the one error shape, its message bounded as sendError bounds it. */
const { $schema: _ignored, ...errorJsonSchema } = z.toJSONSchema(
  z.object({ error: errorBodySchema.extend({ message: z.string().max(MAX_ERROR_MESSAGE_LENGTH) }) }),
  { target: 'draft-7' },
);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (`validation_failed`, naming each bad field)',
  401: 'No valid credential (`unauthenticated`)',
  402: 'Not enough money (`insufficient_funds`)',
  403: 'Authenticated, but not allowed (`forbidden`, `suspended`)',
  404: 'Not found, or not yours',
  409: 'Conflicts with the current state (`invalid_transition`, `conflict`, `idempotency_key_reused`, …)',
  413: 'Body too large',
  422: 'Semantically invalid input',
  429: 'Too many requests (`rate_limited`, `too_many_streams`); wait Retry-After seconds',
  500: 'Unexpected failure (`internal`); the request id is in X-Request-Id',
  503: 'A backing service did not answer in time (`unavailable`): not applied unless a keyed retry shows otherwise',
};

/**
 * The responses a route documents, completed with what every route may
 * answer: 429 and 500 and 503 always, 401 when it needs a credential, 400
 * when it reads input. Every 2xx and 4xx of a counted route carries the
 * rate-limit headers, a 429 or 503 also Retry-After; errors share the one
 * error shape.
 */
export function documentedResponses(
  documented: Record<string, Record<string, unknown>>,
  route: { authenticated: boolean; hasInput: boolean; rateLimited: boolean },
): Record<string, Record<string, unknown>> {
  const statuses = new Set([...Object.keys(documented).map(Number), 429, 500, 503]);
  if (route.authenticated) statuses.add(401);
  if (route.hasInput) statuses.add(400);
  const responses: Record<string, Record<string, unknown>> = {};
  for (const status of [...statuses].sort((a, b) => a - b)) {
    const schema = status >= 400 ? errorJsonSchema : (documented[String(status)] ?? {});
    const headers = {
      ...(status < 500 && route.rateLimited ? RATE_LIMIT_HEADERS : {}),
      ...(status === 429 || status === 503 ? RETRY_AFTER_HEADER : {}),
    };
    const description = status >= 400 ? ERROR_DESCRIPTIONS[status] : undefined;
    responses[String(status)] = { ...schema, ...(description ? { description } : {}), ...(Object.keys(headers).length > 0 ? { headers } : {}) };
  }
  return responses;
}
