import { randomUUID } from 'node:crypto';
import { Message, TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { describe, expect, it } from 'vitest';
import { aFundedClient, aRegisteredAgent, aWorkerWithService, jobAction, useTestStack, type TestAgent } from '@agentmarket/testing';

// No starter grant: the test counts money to the cent.
const market = useTestStack({ env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } });

/** The official client, unchanged: it resolves the agent's card, then speaks JSON-RPC with the caller's key. */
async function a2aClientOf(caller: TestAgent, agentId: string): Promise<Client> {
  const authenticated: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('X-Agent-Key', caller.key);
    return fetch(input, { ...init, headers });
  };
  const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: authenticated })] });
  return factory.createFromUrl(`${market.stack.gatewayUrl}/a2a/agents/${agentId}/`);
}

const userMessage = (fields: { taskId?: string; data?: Record<string, unknown>; text?: string }) => ({
  tenant: '',
  configuration: undefined,
  metadata: undefined,
  message: Message.fromJSON({
    messageId: randomUUID(),
    role: 'ROLE_USER',
    ...(fields.taskId ? { taskId: fields.taskId } : {}),
    parts: [...(fields.text ? [{ text: fields.text }] : []), ...(fields.data ? [{ data: fields.data }] : [])],
  }),
});

async function balanceOf(agent: TestAgent) {
  const wallet = await market.api('GET', '/api/wallet', { key: agent.key });
  return wallet.body.balances.find((balance: { currency: string }) => balance.currency === 'USD');
}

const stateOf = (event: StreamResponse): string => {
  const payload = event.payload;
  if (payload?.$case === 'task') return `task:${TaskState[payload.value.status?.state ?? 0]}`;
  if (payload?.$case === 'statusUpdate') return `status:${TaskState[payload.value.status?.state ?? 0]}`;
  if (payload?.$case === 'artifactUpdate') return `artifact:${payload.value.artifact?.parts[0]?.content?.value}`;
  return 'other';
};

describe('A2A v1.0, with the official @a2a-js/sdk client', () => {
  it('serves the market card and agent cards with Cache-Control and ETag', async () => {
    const marketCard = await fetch(`${market.stack.gatewayUrl}/.well-known/agent-card.json`);
    expect(marketCard.status).toBe(200);
    const marketCardBody = (await marketCard.json()) as { name: string; capabilities: { pushNotifications: boolean } };
    expect(marketCardBody.name).toBe('AgentMarket');
    expect(marketCardBody.capabilities.pushNotifications).toBe(true);
    const etag = marketCard.headers.get('etag');
    expect(marketCard.headers.get('cache-control')).toContain('max-age');
    const revalidated = await fetch(`${market.stack.gatewayUrl}/.well-known/agent-card.json`, { headers: { 'if-none-match': etag ?? '' } });
    expect(revalidated.status).toBe(304);

    const { worker, service } = await aWorkerWithService(market.api, { capabilities_required: ['a2a-test'] });
    const card: any = await (await fetch(`${market.stack.gatewayUrl}/a2a/agents/${worker.id}/.well-known/agent-card.json`)).json();
    expect(card.skills.map((skill: { id: string }) => skill.id)).toEqual([service.id]);
    expect(card.skills[0].tags).toEqual(['a2a-test']);
    expect(card.capabilities.streaming).toBe(true);
    expect(card.capabilities.pushNotifications).toBe(true);
    expect(card.supportedInterfaces[0]).toMatchObject({ url: `${market.stack.gatewayUrl}/a2a/agents/${worker.id}`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' });

    const idle = await aRegisteredAgent(market.api);
    expect((await fetch(`${market.stack.gatewayUrl}/a2a/agents/${idle.id}/.well-known/agent-card.json`)).status).toBe(404);
  });

  it('hires by SendMessage (escrow held), streams start and delivery in order, and completes by a follow-up message', async () => {
    const { worker, service } = await aWorkerWithService(market.api, { price_usd: '7.00' });
    const buyer = await aFundedClient(market.api, { usd: '50.00' });
    const client = await a2aClientOf(buyer, worker.id);

    const hire = userMessage({ text: 'A poem about the sea', data: { service_id: service.id, input_data: { text: 'the sea' } } });
    const task = (await client.sendMessage(hire)) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
    expect(task.metadata?.job).toMatchObject({ title: 'A poem about the sea', status: 'pending' });
    // The same message again (a retry: same messageId) hires nothing new.
    expect(((await client.sendMessage(hire)) as Task).id).toBe(task.id);
    expect(await balanceOf(buyer)).toMatchObject({ available: '43.00', held: '7.00' });

    const seen: string[] = [];
    const streaming = (async () => {
      for await (const event of client.resubscribeTask({ tenant: '', id: task.id })) seen.push(stateOf(event));
    })();
    await expect.poll(() => seen[0]).toBe('task:TASK_STATE_SUBMITTED');
    expect((await jobAction(market.api, worker, task.id, 'start')).status).toBe(200);
    await expect.poll(() => seen.length).toBe(2);
    expect((await jobAction(market.api, worker, task.id, 'deliver', { artifact_type: 'text', content: 'Waves' })).status).toBe(200);
    await expect.poll(() => seen.length).toBe(4);

    const completed = (await client.sendMessage(userMessage({ taskId: task.id, data: { action: 'complete', rating: 5, review: 'lovely' } }))) as Task;
    expect(completed.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(completed.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'text', value: 'Waves' });
    await streaming;
    expect(seen).toEqual([
      'task:TASK_STATE_SUBMITTED',
      'status:TASK_STATE_WORKING',
      'artifact:Waves',
      'status:TASK_STATE_INPUT_REQUIRED',
      'status:TASK_STATE_COMPLETED',
    ]);
    await expect.poll(() => balanceOf(buyer)).toMatchObject({ available: '43.00', held: '0.00' });
  });

  it('cancels a pending task with a refund, lists tasks by pages, and answers A2A error codes', async () => {
    const { worker, service } = await aWorkerWithService(market.api, { price_usd: '3.00' });
    const buyer = await aFundedClient(market.api, { usd: '20.00' });
    const client = await a2aClientOf(buyer, worker.id);
    const hireOne = async () => (await client.sendMessage(userMessage({ data: { service_id: service.id, input_data: { text: 'x' } } }))) as Task;
    const first = await hireOne();
    const second = await hireOne();

    const cancelled = await client.cancelTask({ tenant: '', id: first.id, metadata: undefined });
    expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await expect.poll(() => balanceOf(buyer)).toMatchObject({ available: '17.00', held: '3.00' });
    await expect(client.cancelTask({ tenant: '', id: first.id, metadata: undefined })).rejects.toMatchObject({ name: 'TaskNotCancelableError' });

    const pageOne = await client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageSize: 1, pageToken: '', statusTimestampAfter: undefined });
    expect(pageOne.tasks.map((t) => t.id)).toEqual([second.id]);
    const pageTwo = await client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageSize: 1, pageToken: pageOne.nextPageToken, statusTimestampAfter: undefined });
    expect(pageTwo.tasks.map((t) => t.id)).toEqual([first.id]);

    await expect(client.getTask({ tenant: '', id: randomUUID() })).rejects.toMatchObject({ name: 'TaskNotFoundError' });
    const unpaid = client.sendMessage(userMessage({ data: { service_id: service.id, input_data: { text: 'x' }, expected_price: { price_usd: '1.00' } } }));
    await expect(unpaid).rejects.toMatchObject({ name: 'RequestMalformedError' });
  });

  it('answers the v0.3 method names, and refuses callers without credentials', async () => {
    const { worker, service } = await aWorkerWithService(market.api);
    const buyer = await aFundedClient(market.api, { usd: '20.00' });
    const job = (await market.api('POST', '/api/jobs', { key: buyer.key, body: { service_id: service.id, input_data: { text: 'x' } } })).body;
    const endpoint = `${market.stack.gatewayUrl}/a2a/agents/${worker.id}`;
    const legacy = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-agent-key': buyer.key },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tasks/get', params: { id: job.id } }),
    });
    const answer = await legacy.json();
    expect(answer).toMatchObject({ id: 7, result: { id: job.id, kind: 'task', status: { state: 'submitted' } } });

    const anonymous = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: job.id } }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
  });
});
