import type { ErrorBody } from './types.ts';

/** How a request proves who sends it; never part of a URL. */
export type Credentials = { kind: 'agent'; key: string } | { kind: 'person'; token: string } | undefined;

/** A non-2xx answer of the API, with its error code when the body had one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The headers that carry `credentials`. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  if (!credentials) return {};
  return credentials.kind === 'agent' ? { 'x-agent-key': credentials.key } : { authorization: `Bearer ${credentials.token}` };
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value && typeof (value as ErrorBody).error?.code === 'string';
}

async function request<T>(method: 'GET' | 'POST', path: string, options: { credentials?: Credentials; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(options.credentials) };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    cache: 'no-store',
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) throw new ApiError(response.status, parsed.error.code, parsed.error.message);
    throw new ApiError(response.status, 'http_error', `${response.status} ${response.statusText}`);
  }
  return parsed as T;
}

/** GET a JSON resource of the gateway (same origin). */
export function apiGet<T>(path: string, credentials?: Credentials, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, { credentials, signal });
}

/** POST JSON to the gateway. */
export function apiPost<T>(path: string, body: unknown, credentials?: Credentials): Promise<T> {
  return request<T>('POST', path, { credentials, body });
}

/** `/path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
