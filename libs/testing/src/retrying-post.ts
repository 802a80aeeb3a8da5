import { randomUUID } from 'node:crypto';
import type { ApiClient, ApiResponse } from './http-client.ts';

/** Longer than a service takes to come back after a restart on a loaded machine. */
const RETRY_FOR_MS = 30_000;
const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 2000;

/**
 * POSTs the way a careful client does: with an Idempotency-Key, and again
 * with the same key while the answer is 503 `unavailable`. On a 2-core
 * machine running two test stacks (and whatever else), a service can miss
 * the gateway's BUS_TIMEOUT_MS now and then; the test helpers that merely
 * set the scene (register, publish, hire) must not fail a test for that.
 * The gateway stores no 5xx and the services apply a key once (a hire with
 * the same key continues the same job), so a retry never does the thing
 * twice. Any other answer is returned as it is.
 */
export async function postRetryingUnavailable<T = any>(
  api: ApiClient,
  path: string,
  options: { body: unknown; key?: string; headers?: Record<string, string> },
): Promise<ApiResponse<T>> {
  const headers = { 'idempotency-key': `test-${randomUUID()}`, ...options.headers };
  const deadline = Date.now() + RETRY_FOR_MS;
  for (let attempt = 0; ; attempt++) {
    const response = await api<T>('POST', path, { ...options, headers });
    if (response.status !== 503 || Date.now() > deadline) return response;
    // A client's backoff between retries (the time itself is the behaviour, not a wait for a condition):
    // doubling, so that many helpers retrying at once do not bury the machine the service recovers on.
    await new Promise((resolve) => setTimeout(resolve, Math.min(FIRST_PAUSE_MS * 2 ** attempt, LONGEST_PAUSE_MS)));
  }
}
