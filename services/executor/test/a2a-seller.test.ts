import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentCard, Role, TaskState, type Message, type Part, type TaskStatus } from '@a2a-js/sdk';
import {
  AgentEvent,
  DefaultRequestHandler,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  ServerCallContext,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from '@a2a-js/sdk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aFundedClient, aRegisteredAgent, aService, useTestStack, waitUntilDrained, type TestAgent } from '@agentmarket/testing';

/** What the seller does with each message: answer with an artifact, or fail its task with a reason. */
type Behaviour = { kind: 'deliver'; answer: (message: Message) => Part[] } | { kind: 'fail'; reason: string };

const text = (value: string): Part => ({ content: { $case: 'text', value }, metadata: undefined, filename: '', mediaType: 'text/plain' });
const status = (state: TaskState, words?: string): TaskStatus => ({
  state,
  message: words ? { messageId: crypto.randomUUID(), contextId: '', taskId: '', role: Role.ROLE_AGENT, parts: [text(words)], metadata: undefined, extensions: [], referenceTaskIds: [] } : undefined,
  timestamp: new Date().toISOString(),
});

/** An existing A2A agent, built with the official SDK's server side only: it knows nothing of the market. */
class SellerAgent implements AgentExecutor {
  readonly received: Message[] = [];
  private readonly behaviour: Behaviour;

  constructor(behaviour: Behaviour) {
    this.behaviour = behaviour;
  }

  execute = async (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const message = request.userMessage;
    this.received.push(message);
    const ids = { taskId: request.taskId, contextId: request.contextId };
    bus.publish(AgentEvent.task({ id: ids.taskId, contextId: ids.contextId, status: status(TaskState.TASK_STATE_SUBMITTED), artifacts: [], history: [message], metadata: undefined }));
    bus.publish(AgentEvent.statusUpdate({ ...ids, status: status(TaskState.TASK_STATE_WORKING), metadata: undefined }));
    if (this.behaviour.kind === 'deliver') {
      const artifact = { artifactId: 'poem', name: 'poem', description: '', parts: this.behaviour.answer(message), metadata: undefined, extensions: [] };
      bus.publish(AgentEvent.artifactUpdate({ ...ids, artifact, append: false, lastChunk: true, metadata: undefined }));
      bus.publish(AgentEvent.statusUpdate({ ...ids, status: status(TaskState.TASK_STATE_COMPLETED), metadata: undefined }));
    } else {
      bus.publish(AgentEvent.statusUpdate({ ...ids, status: status(TaskState.TASK_STATE_FAILED, this.behaviour.reason), metadata: undefined }));
    }
    bus.finished();
  };

  cancelTask = async (): Promise<void> => {};
}

/** Serves the agent's card under `/` and its JSON-RPC endpoint at `/rpc`, as any A2A agent on the internet would. */
async function serveSeller(agent: SellerAgent): Promise<{ url: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const card: AgentCard = AgentCard.fromJSON({
    name: 'Haiku Seller',
    description: 'Writes haiku',
    version: '1.0.0',
    supportedInterfaces: [{ url: `${base}rpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming: false, pushNotifications: false },
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 'haiku', name: 'Haiku', description: 'A haiku on a topic', tags: ['poetry'] }],
  });
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), agent);
  const transport = new JsonRpcTransportHandler(handler);
  server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      if (request.method === 'GET' && request.url === '/.well-known/agent-card.json') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(AgentCard.toJSON(card)));
        return;
      }
      if (request.method !== 'POST' || request.url !== '/rpc') {
        response.writeHead(404).end();
        return;
      }
      const context = new ServerCallContext({ requestedVersion: String(request.headers['a2a-version'] ?? '0.3') });
      const answer = await transport.handle(Buffer.concat(chunks).toString('utf8'), context);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  return { url: base, server };
}

const market = useTestStack({ envFor: { payments: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } } });
const { api } = market;
const servers: Server[] = [];

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An agent selling through its own A2A agent: registered with a2a_url, one (not hosted) service. */
async function aSellerAt(url: string): Promise<{ seller: TestAgent; serviceId: string }> {
  const seller = await aRegisteredAgent(api, { name: `A2A seller ${servers.length}` });
  const patched = await api('PATCH', '/api/agents/me', { key: seller.key, body: { a2a_url: url } });
  expect(patched.status).toBe(200);
  expect(patched.body.a2a_url).toBe(url);
  const service = await aService(api, seller, { price_usd: '4.00', required_inputs: [{ name: 'topic' }] });
  return { seller, serviceId: service.id };
}

describe('an agent selling through its own A2A endpoint', () => {
  let poet: SellerAgent;
  let poetUrl: string;

  beforeAll(async () => {
    poet = new SellerAgent({
      kind: 'deliver',
      answer: (message) => {
        const data = message.parts.find((part) => part.content?.$case === 'data')?.content;
        const value = (data?.$case === 'data' ? data.value : {}) as { topic?: unknown; feedback?: unknown; input_data?: { topic?: unknown } };
        if (typeof value.feedback === 'string') return [text(`Haiku about ${String(value.input_data?.topic)}, revised: ${value.feedback}`)];
        return [text(`Haiku about ${String(value.topic)}: waves fold into foam`)];
      },
    });
    const served = await serveSeller(poet);
    servers.push(served.server);
    poetUrl = served.url;
  });

  it('takes a2a_url at registration and shows it on the public profile', async () => {
    const registered = await api('POST', '/api/agents', { body: { name: 'Registered with a2a_url', capabilities: ['poetry'], a2a_url: poetUrl } });
    expect(registered.status).toBe(201);
    const profile = await api('GET', `/api/agents/${registered.body.agent_id}`);
    expect(profile.body.a2a_url).toBe(poetUrl);
  });

  it('gets the job as an A2A message and its artifact becomes the deliverable', async () => {
    const { seller, serviceId } = await aSellerAt(poetUrl);
    const client = await aFundedClient(api, { usd: '10.00' });
    const before = poet.received.length;
    const hired = await api('POST', '/api/jobs', { key: client.key, body: { service_id: serviceId, title: 'A haiku', input_data: { topic: 'the sea' } } });
    expect(hired.status).toBe(201);
    const jobId = hired.body.id as string;

    await expect
      .poll(async () => (await api('GET', `/api/jobs/${jobId}`, { key: client.key })).body.status, { timeout: 30_000, interval: 250 })
      .toBe('delivered');
    const job = (await api('GET', `/api/jobs/${jobId}`, { key: client.key })).body;
    expect(job.worker_agent_id).toBe(seller.id);
    expect(job.started_at).not.toBeNull();
    expect(job.deliverables).toHaveLength(1);
    expect(job.deliverables[0]).toMatchObject({ artifact_type: 'text', content: 'Haiku about the sea: waves fold into foam' });
    expect(job.deliverables[0].artifact_metadata).toMatchObject({ a2a: { artifact_id: 'poem', task_id: expect.any(String) } });

    // Exactly one message, carrying the job: the title as text, input_data as data, the job named in metadata.
    const mine = poet.received.slice(before).filter((message) => message.metadata?.agentmarket?.job_id === jobId);
    expect(mine).toHaveLength(1);
    const [message] = mine;
    expect(message!.messageId).toContain(jobId);
    expect(message!.parts.map((part) => part.content)).toEqual([
      { $case: 'text', value: 'A haiku' },
      { $case: 'data', value: { topic: 'the sea' } },
    ]);
    expect(message!.metadata).toMatchObject({ agentmarket: { job_id: jobId, service_id: serviceId, round: 0 } });

    // A revision request goes to the seller as a new task in the same context, referencing the first one.
    const asked = await api('POST', `/api/jobs/${jobId}/request-revision`, { key: client.key, body: { feedback: 'mention the moon' } });
    expect(asked.status).toBe(200);
    await expect
      .poll(async () => (await api('GET', `/api/jobs/${jobId}`, { key: client.key })).body.deliverables?.length, { timeout: 30_000, interval: 250 })
      .toBe(2);
    const revised = (await api('GET', `/api/jobs/${jobId}`, { key: client.key })).body;
    expect(revised.status).toBe('delivered');
    expect(revised.deliverables[1]).toMatchObject({ version: 2, content: 'Haiku about the sea, revised: mention the moon' });
    const rounds = poet.received.filter((sent) => sent.metadata?.agentmarket?.job_id === jobId);
    expect(rounds).toHaveLength(2);
    expect(rounds[1]).toMatchObject({ contextId: message!.contextId, referenceTaskIds: [job.deliverables[0].artifact_metadata.a2a.task_id] });
  });

  it('sends the next hire over A2A once an agent that took its hires through the API sets its a2a_url', async () => {
    const seller = await aRegisteredAgent(api, { name: 'Seller who turns to A2A' });
    const service = await aService(api, seller, { price_usd: '4.00', required_inputs: [{ name: 'topic' }] });
    const client = await aFundedClient(api, { usd: '10.00' });
    const hire = async (topic: string) => {
      const hired = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { topic } } });
      expect(hired.status).toBe(201);
      return hired.body.id as string;
    };
    // The first hire is the executor's to look at, and it remembers that this worker has no endpoint.
    const throughApi = await hire('the API');
    await waitUntilDrained(market.stack);
    expect((await api('GET', `/api/jobs/${throughApi}`, { key: client.key })).body.status).toBe('pending');

    const patched = await api('PATCH', '/api/agents/me', { key: seller.key, body: { a2a_url: poetUrl } });
    expect(patched.status).toBe(200);
    // Once identity's agent_updated is out of its outbox it has reached the executor's core subscription too.
    await waitUntilDrained(market.stack);
    // identity's agent_updated drops what the executor remembered: the next hire goes to the endpoint.
    const overA2a = await hire('the endpoint');
    await expect
      .poll(async () => (await api('GET', `/api/jobs/${overA2a}`, { key: client.key })).body.status, { timeout: 30_000, interval: 250 })
      .toBe('delivered');
    expect(poet.received.filter((message) => message.metadata?.agentmarket?.job_id === throughApi)).toHaveLength(0);
  });

  it('fails the job with the seller’s reason when its task fails, and the client is refunded', async () => {
    const failing = new SellerAgent({ kind: 'fail', reason: 'out of ink' });
    const served = await serveSeller(failing);
    servers.push(served.server);
    const { serviceId } = await aSellerAt(served.url);
    const client = await aFundedClient(api, { usd: '10.00' });
    const hired = await api('POST', '/api/jobs', { key: client.key, body: { service_id: serviceId, input_data: { topic: 'ink' } } });
    expect(hired.status).toBe(201);
    const jobId = hired.body.id as string;

    await expect
      .poll(async () => (await api('GET', `/api/jobs/${jobId}`, { key: client.key })).body.status, { timeout: 30_000, interval: 250 })
      .toBe('failed');
    const history = (await api('GET', `/api/jobs/${jobId}/history`, { key: client.key })).body.data as { to: string; details: { reason?: string } }[];
    expect(history.find((entry) => entry.to === 'failed')?.details.reason).toContain('out of ink');
    const usd = async () => ((await api('GET', '/api/wallet', { key: client.key })).body.balances as { currency: string }[]).find((balance) => balance.currency === 'USD');
    await expect.poll(usd, { timeout: 15_000, interval: 250 }).toMatchObject({ available: '10.00', held: '0.00' });
    expect(failing.received).toHaveLength(1);
  });

  it('clears a2a_url with null: hires are then left to the agent', async () => {
    const { seller } = await aSellerAt(poetUrl);
    const cleared = await api('PATCH', '/api/agents/me', { key: seller.key, body: { a2a_url: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.a2a_url).toBeNull();
  });

  it('refuses an a2a_url that is not an absolute http(s) URL', async () => {
    const seller = await aRegisteredAgent(api);
    for (const a2a_url of ['not a url', 'ftp://example.com/a2a', '/relative']) {
      const response = await api('PATCH', '/api/agents/me', { key: seller.key, body: { a2a_url } });
      expect(response.status, a2a_url).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
  });
});
