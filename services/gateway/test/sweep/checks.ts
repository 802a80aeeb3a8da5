import { ERROR_CODES } from '@agentmarket/contracts';
import type { SweepResponse } from './http.ts';
import type { Expectation } from './sample.ts';

/** One broken promise. `kind` is fixed text (it groups failures); `detail` says what exactly was seen. */
export interface Problem {
  kind: string;
  detail: string;
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** Every 4xx leaves as `{error: {code, message, details}}` with a code of the contract, as JSON, without a stack trace. */
export function errorShapeProblems(response: SweepResponse): Problem[] {
  const problems: Problem[] = [];
  if (!response.contentType.startsWith('application/json')) problems.push({ kind: 'error not JSON', detail: `content-type ${JSON.stringify(response.contentType)}` });
  const body = response.json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const error = body?.error;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).join() !== 'error' || !error || typeof error !== 'object') {
    problems.push({ kind: 'error shape', detail: 'body is not {error: {...}}' });
    return problems;
  }
  if (typeof error.code !== 'string' || !KNOWN_CODES.has(error.code)) problems.push({ kind: 'error code not in ERROR_CODES', detail: `code ${JSON.stringify(error.code)}` });
  if (typeof error.message !== 'string') problems.push({ kind: 'error shape', detail: 'message is not a string' });
  if (error.details === null || typeof error.details !== 'object' || Array.isArray(error.details)) problems.push({ kind: 'error shape', detail: 'details is not an object' });
  if (/\n\s+at .+:\d+/.test(response.text)) problems.push({ kind: 'stack trace', detail: 'the body shows a stack trace' });
  return problems;
}

const codeOf = (response: SweepResponse) => (response.json as { error?: { code?: unknown } } | undefined)?.error?.code;
const detailKeys = (response: SweepResponse) => Object.keys(((response.json as { error?: { details?: object } } | undefined)?.error?.details ?? {}) as object);

/** Everything wrong with one answer, judged by the general properties and then by the sample's expectation. */
export function judge(expect: Expectation, response: SweepResponse, control?: SweepResponse): Problem[] {
  if (response.failure) return [{ kind: 'no answer', detail: response.failure }];
  const problems: Problem[] = [];
  const { status } = response;
  if (status >= 500) problems.push({ kind: 'server error', detail: `status ${status}` });
  if (status >= 400 && status < 500) problems.push(...errorShapeProblems(response));
  if (expect.hostile && status < 400) problems.push({ kind: 'hostile input accepted', detail: `status ${status}` });
  if (expect.statuses && status < 500 && status >= 400 && !expect.statuses.includes(status))
    problems.push({ kind: 'unexpected status', detail: `status ${status}, expected ${expect.statuses.join(' or ')}` });
  if (expect.code && status >= 400 && status < 500 && codeOf(response) !== expect.code)
    problems.push({ kind: 'unexpected code', detail: `code ${JSON.stringify(codeOf(response))}, expected ${expect.code}` });
  if (expect.names && status === 400 && !detailKeys(response).some((key) => key.split('.').includes(expect.names ?? '')))
    problems.push({ kind: 'field not named', detail: `details ${JSON.stringify(detailKeys(response))} do not name ${expect.names}` });
  if (control && !control.failure) {
    // An empty body must be read as "no body": refused only if `{}` is refused too.
    const refused = (answer: SweepResponse) => answer.status === 400 || answer.status === 415;
    if (refused(response) && !refused(control)) problems.push({ kind: 'empty JSON body refused', detail: `status ${status} while {} gets ${control.status}` });
    if (control.status >= 500) problems.push({ kind: 'server error', detail: `control request with {}: status ${control.status}` });
  }
  return problems;
}
