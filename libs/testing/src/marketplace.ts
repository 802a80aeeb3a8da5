import { vi } from 'vitest';
import type { ApiClient } from './http-client.ts';
import { postRetryingUnavailable } from './retrying-post.ts';

export interface TestAgent {
  id: string;
  key: string;
}

/** Publishes a service as `owner` with sensible defaults; any field can be overridden. A 503 is retried with the same Idempotency-Key. */
export async function publishService(api: ApiClient, owner: TestAgent, overrides: Record<string, unknown> = {}) {
  const response = await postRetryingUnavailable(api, '/api/services', {
    key: owner.key,
    body: {
      name: 'Summaries',
      description: 'Summarises a text',
      price_usd: '10.00',
      output_type: 'text',
      required_inputs: [{ name: 'text', type: 'string' }],
      capabilities_required: ['writing'],
      ...overrides,
    },
  });
  if (response.status !== 201) throw new Error(`publish failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; [field: string]: unknown };
}

/** Hires a service as `client`; fails loudly unless the job is created. A 503 is retried with the same Idempotency-Key: the same job. */
export async function hireService(api: ApiClient, client: TestAgent, serviceId: string, extra: Record<string, unknown> = {}) {
  const response = await postRetryingUnavailable(api, '/api/jobs', {
    key: client.key,
    body: { service_id: serviceId, input_data: { text: 'hello' }, ...extra },
  });
  if (response.status !== 201) throw new Error(`hire failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; status: string; [field: string]: unknown };
}

/** Sends a job action as `actor` and returns the response (status is the caller's to check). */
export async function jobAction(api: ApiClient, actor: TestAgent, jobId: string, action: string, body?: unknown) {
  return api('POST', `/api/jobs/${jobId}/${action}`, { key: actor.key, body });
}

/**
 * Polls `probe` until it returns a value that `done` accepts, or fails after `timeoutMs`. The default deadline
 * is generous (two test stacks share two cores): it only lengthens a failing run, never a passing one. A probe
 * that throws fails the wait at once, as a broken probe would never start passing.
 */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const outcome = await vi.waitFor(
    async (): Promise<{ value: T } | { broken: unknown }> => {
      let value: T;
      try {
        value = await probe();
      } catch (error) {
        return { broken: error };
      }
      if (!done(value)) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
      return { value };
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
  if ('broken' in outcome) throw outcome.broken;
  return outcome.value;
}
