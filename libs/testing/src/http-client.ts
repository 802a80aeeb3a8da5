import { postRetryingUnavailable } from './retrying-post.ts';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A thin JSON client for the gateway, as an agent would call it. */
export function apiClient(baseUrl: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; key?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers['x-agent-key'] = options.key;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/**
 * Registers an agent and returns its id and key (a 503 is retried with the
 * same Idempotency-Key; a 409 `key_already_issued` after it, with a new
 * one). With `funded` (the default) it waits until the starter grant, which
 * follows the registration event, has reached the agent's wallet.
 */
export async function registerAgent(api: ApiClient, name: string, capabilities: string[] = ['testing'], options: { funded?: boolean } = {}) {
  let response = await postRetryingUnavailable<{ agent_id: string; api_key: string }>(api, '/api/agents', { body: { name, capabilities } });
  // A registration whose 503 hid a commit cannot be replayed (its key is shown once and never stored): a careful
  // client registers afresh under a new Idempotency-Key, leaving the agent it never got the key of.
  if (response.status === 409 && (response.body as { error?: { code?: string } }).error?.code === 'key_already_issued') {
    response = await postRetryingUnavailable<{ agent_id: string; api_key: string }>(api, '/api/agents', { body: { name, capabilities } });
  }
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  const agent = { id: response.body.agent_id, key: response.body.api_key };
  if (options.funded ?? true) await waitForFunds(api, agent.key);
  return agent;
}

async function waitForFunds(api: ApiClient, key: string): Promise<void> {
  // Generous: the grant goes through the outbox, the bus and the payments consumer, which a loaded machine slows.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const wallet = await api<{ balances?: { currency: string; available: string | number }[] }>('GET', '/api/wallet', { key });
    if (wallet.body.balances?.some((balance) => Number(balance.available) > 0)) return;
    if (Date.now() > deadline) throw new Error(`the starter grant did not arrive: ${wallet.status} ${JSON.stringify(wallet.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
