import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, type ErrorBody } from '@agentmarket/contracts';

/**
 * The caller of a protocol request (MCP, A2A) carried over to the REST routes
 * that answer it in process: the same credentials are authenticated again by
 * the route, limits count against the same caller and address.
 */
export interface ForwardedCaller {
  /** X-Agent-Key, Authorization, X-Admin-Key as the caller sent them. */
  credentials: Record<string, string>;
  remoteAddress: string;
  requestId: string;
}

const CREDENTIAL_HEADERS = ['x-agent-key', 'authorization', 'x-admin-key'] as const;

export function forwardedCaller(request: FastifyRequest): ForwardedCaller {
  const credentials: Record<string, string> = {};
  for (const name of CREDENTIAL_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') credentials[name] = value;
  }
  return { credentials, remoteAddress: request.ip, requestId: request.id };
}

export interface RouteCall {
  method: 'GET' | 'POST';
  /** Path and query string. */
  url: string;
  body?: unknown;
  idempotencyKey?: string;
}

export type RouteAnswer = { ok: true; status: number; body: unknown } | { ok: false; status: number; error: ErrorBody };

function errorOf(body: unknown): ErrorBody | undefined {
  const error = typeof body === 'object' && body !== null ? Reflect.get(body, 'error') : undefined;
  if (typeof error !== 'object' || error === null || typeof Reflect.get(error, 'code') !== 'string') return undefined;
  const { code, message, details } = error as ErrorBody;
  return { code, message: String(message ?? code), details: details ?? {} };
}

/**
 * Runs a REST route in process (Fastify's inject): authentication, limits,
 * validation, idempotency and the reply are the route's own, so a protocol
 * binding and its route never disagree.
 */
export async function callRoute(app: FastifyInstance, caller: ForwardedCaller, call: RouteCall): Promise<RouteAnswer> {
  const headers: Record<string, string> = { ...caller.credentials, [REQUEST_ID_HEADER]: caller.requestId };
  if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
  if (call.method === 'POST') headers['content-type'] = 'application/json';
  const response = await app.inject({
    method: call.method,
    url: call.url,
    headers,
    payload: call.method === 'POST' ? JSON.stringify(call.body ?? {}) : undefined,
    remoteAddress: caller.remoteAddress,
  });
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return { ok: false, status: response.statusCode, error: { code: 'internal', message: `${call.url} answered ${response.statusCode} without JSON`, details: {} } };
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, status: response.statusCode, body };
  const error = errorOf(body) ?? { code: 'internal', message: `${call.url} answered ${response.statusCode}`, details: {} };
  return { ok: false, status: response.statusCode, error };
}

/** `?a=1&b=x` from scalar values; a non-scalar goes as JSON text, which the route's schema then refuses by name. */
export function queryStringOf(values: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    query.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
