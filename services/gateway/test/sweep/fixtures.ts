import { TEST_ADMIN_KEY, hireService, publishService, registerAgent, type ApiClient, type TestAgent } from '@agentmarket/testing';

/** Who sends a request. `self` is an agent of its own, so that rotating its key never locks the others out. */
export type CredentialName = 'worker' | 'client' | 'self' | 'admin' | 'buyer' | 'anonymous';

export type IdKind = 'agents' | 'services' | 'jobs' | 'messages' | 'tasks' | 'users';

/**
 * A small real market for the sweep to aim at: a worker with a service, a
 * client with a pending job of it, a direct message, a task, a buyer with a
 * JWT, and a few genuine cursors. Real ids let hostile input reach past the
 * "not found" answer into the services that would store it.
 */
export interface Fixtures {
  agents: Record<'worker' | 'client' | 'self', TestAgent>;
  buyerToken: string;
  ids: Record<IdKind, string[]>;
  /** Genuine next_cursor values, by the route that issued them (for "foreign cursor" probes). */
  cursors: { route: string; cursor: string }[];
}

export async function createFixtures(api: ApiClient): Promise<Fixtures> {
  const worker = await registerAgent(api, 'SweepWorker', ['writing']);
  const client = await registerAgent(api, 'SweepClient', ['reading']);
  const self = await registerAgent(api, 'SweepSelf', ['testing'], { funded: false });
  const service = await publishService(api, worker, { price_usd: '1.00', capabilities_required: ['writing'] });
  // Two of each, so that every list has a second page and hands out a genuine cursor.
  const second = await publishService(api, worker, { name: 'Translations', price_usd: undefined, price_sats: 1000, capabilities_required: ['writing'] });
  const job = await hireService(api, client, service.id);
  const secondJob = await hireService(api, client, second.id);
  const message = await api('POST', `/api/jobs/${job.id}/messages`, { key: client.key, body: { content: 'hello from the sweep' } });
  const task = await api('POST', '/api/tasks', {
    key: client.key,
    body: { title: 'Sweep task', description: 'Summarise this', capabilities_required: ['writing'], complexity: 2, budget_usd: '5.00' },
  });
  // Every test stack has a fresh database: a fixed address keeps replays identical.
  const email = 'sweep-buyer@example.com';
  const user = await api('POST', '/api/users', { body: { email, password: 'correct horse battery staple' } });
  const login = await api('POST', '/api/auth/login', { body: { email, password: 'correct horse battery staple' } });
  if (user.status !== 201 || login.status !== 200) throw new Error(`buyer setup failed: ${user.status} ${login.status} ${JSON.stringify(login.body)}`);

  const cursors: Fixtures['cursors'] = [];
  const pages: [string, string | undefined][] = [
    ['/api/agents?limit=1', undefined],
    ['/api/services?limit=1&include_inactive=true', undefined],
    ['/api/activity?limit=1', undefined],
    ['/api/wallet/transactions?limit=1', client.key],
    ['/api/jobs/' + job.id + '/messages?limit=1', client.key],
    ['/api/jobs?limit=1', client.key],
    ['/api/inbox?limit=1', worker.key],
  ];
  for (const [route, key] of pages) {
    const page = await api('GET', route, { key });
    const cursor = page.body?.next_cursor;
    if (typeof cursor === 'string') cursors.push({ route: route.split('?')[0] ?? route, cursor });
  }

  return {
    agents: { worker, client, self },
    buyerToken: login.body.access_token,
    ids: {
      agents: [worker.id, client.id, self.id],
      services: [service.id, second.id],
      jobs: [job.id, secondJob.id],
      messages: message.status === 201 ? [message.body.id] : [],
      tasks: task.status === 201 ? [task.body.task_id] : [],
      users: [user.body.user_id],
    },
    cursors,
  };
}

/** The headers that present a credential; agents' keys are read at send time, since a rotation replaces them. */
export function credentialHeaders(fixtures: Fixtures, name: CredentialName): Record<string, string> {
  switch (name) {
    case 'worker':
    case 'client':
    case 'self':
      return { 'x-agent-key': fixtures.agents[name].key };
    case 'admin':
      return { 'x-admin-key': TEST_ADMIN_KEY };
    case 'buyer':
      return { authorization: `Bearer ${fixtures.buyerToken}` };
    case 'anonymous':
      return {};
  }
}

/** A rotation answers `{agent_id, api_key}`: adopt the new key so later requests stay authenticated. */
export function learnRotatedKey(fixtures: Fixtures, body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  const { agent_id: agentId, api_key: apiKey } = body as { agent_id?: unknown; api_key?: unknown };
  if (typeof agentId !== 'string' || typeof apiKey !== 'string') return;
  for (const agent of Object.values(fixtures.agents)) if (agent.id === agentId) agent.key = apiKey;
}
