import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { aFundedClient, aWorkerWithService, useTestStack, type TestAgent } from '@agentmarket/testing';

// No starter grant: the test counts money to the cent.
const market = useTestStack({ env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } });
const clients: Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

/** The official MCP client, unchanged, authenticated with the agent's key. */
async function mcpClientOf(agent: TestAgent): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', market.stack.gatewayUrl), {
    requestInit: { headers: { 'X-Agent-Key': agent.key } },
  });
  await client.connect(transport);
  // The output schemas are cached by listTools: every callTool is then checked against them by the client itself.
  await client.listTools();
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent: Record<string, any> };
}

async function balanceOf(agent: TestAgent) {
  const wallet = await market.api('GET', '/api/wallet', { key: agent.key });
  return wallet.body.balances.find((balance: { currency: string }) => balance.currency === 'USD');
}

describe('MCP at /mcp, with the official client', () => {
  it('refuses an unauthenticated client with 401 and WWW-Authenticate, and GET with 405', async () => {
    const response = await fetch(new URL('/mcp', market.stack.gatewayUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');

    const get = await fetch(new URL('/mcp', market.stack.gatewayUrl), { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
  });

  it('lists the tools by their names, each with input and output schemas', async () => {
    const buyer = await aFundedClient(market.api);
    const client = await mcpClientOf(buyer);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [
        'search_services', 'get_service', 'hire_service', 'get_job', 'list_my_jobs', 'start_job', 'deliver_job', 'request_revision',
        'complete_job', 'cancel_job', 'send_job_message', 'read_inbox', 'get_wallet', 'post_task', 'list_open_tasks', 'place_bid',
        'reject_delivery',
      ].sort(),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
    const hire = tools.find((tool) => tool.name === 'hire_service');
    expect(hire?.inputSchema.properties).toHaveProperty('idempotency_key');
    expect(hire?.inputSchema.required).toContain('service_id');
    expect(tools.find((tool) => tool.name === 'get_job')?.inputSchema.required).toEqual(['job_id']);
  });

  it('hires once per idempotency key, works the job to completion and moves the money', async () => {
    const { worker, service } = await aWorkerWithService(market.api, { price_usd: '12.00', capabilities_required: ['mcp-test'] });
    const buyer = await aFundedClient(market.api, { usd: '100.00' });
    const asBuyer = await mcpClientOf(buyer);
    const asWorker = await mcpClientOf(worker);

    const found = await call(asBuyer, 'search_services', { capability: 'mcp-test' });
    expect(found.isError).toBeFalsy();
    expect(found.structuredContent.data.map((s: { id: string }) => s.id)).toEqual([service.id]);
    expect((await call(asBuyer, 'get_service', { service_id: service.id })).structuredContent.price_usd).toBe('12.00');

    const hireArgs = { service_id: service.id, input_data: { text: 'hello' }, title: 'By MCP', idempotency_key: 'mcp-hire-1' };
    const hired = await call(asBuyer, 'hire_service', hireArgs);
    const again = await call(asBuyer, 'hire_service', hireArgs);
    expect(hired.isError).toBeFalsy();
    expect(hired.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('pending') });
    const jobId: string = hired.structuredContent.id;
    expect(again.structuredContent.id).toBe(jobId);
    expect(await balanceOf(buyer)).toMatchObject({ available: '88.00', held: '12.00' });

    expect((await call(asWorker, 'list_my_jobs', { role: 'worker', status: 'pending' })).structuredContent.data.map((j: { id: string }) => j.id)).toEqual([jobId]);
    expect((await call(asWorker, 'start_job', { job_id: jobId, idempotency_key: 'start-1' })).structuredContent.status).toBe('in_progress');
    const message = await call(asWorker, 'send_job_message', { job_id: jobId, content: 'On it' });
    expect(message.structuredContent.content).toMatchObject({ message: 'On it' });
    await call(asWorker, 'deliver_job', { job_id: jobId, artifact_type: 'text', content: 'first draft' });
    expect((await call(asBuyer, 'request_revision', { job_id: jobId, feedback: 'shorter' })).structuredContent.status).toBe('revision_requested');
    await call(asWorker, 'deliver_job', { job_id: jobId, artifact_type: 'text', content: 'final' });
    const delivered = await call(asBuyer, 'get_job', { job_id: jobId });
    expect(delivered.structuredContent.deliverables.map((d: { content: string }) => d.content)).toEqual(['first draft', 'final']);

    const completed = await call(asBuyer, 'complete_job', { job_id: jobId, rating: 5, review: 'good', idempotency_key: 'complete-1' });
    expect(completed.structuredContent.status).toBe('completed');
    // Settlement follows the completion event.
    await expect.poll(() => balanceOf(buyer)).toMatchObject({ available: '88.00', held: '0.00' });
    const wallet = await call(asWorker, 'get_wallet');
    expect(wallet.isError).toBeFalsy();
    expect(wallet.content[0]).toMatchObject({ text: expect.stringContaining('USD') });

    const inbox = await call(asBuyer, 'read_inbox', { job_id: jobId });
    expect(inbox.structuredContent.messages.map((m: { message_type: string }) => m.message_type)).toContain('job_delivered');
  });

  it('answers API errors as isError results carrying the API error code, and changes nothing', async () => {
    const { service } = await aWorkerWithService(market.api, { price_usd: '5.00' });
    const buyer = await aFundedClient(market.api, { usd: '20.00' });
    const asBuyer = await mcpClientOf(buyer);

    const missing = await call(asBuyer, 'get_job', { job_id: '0190c5c2-0000-7000-8000-000000000000' });
    expect(missing.isError).toBe(true);
    expect(missing.structuredContent.error.code).toBe('not_found');

    const invalid = await call(asBuyer, 'hire_service', { service_id: service.id, input_data: {}, unknown_field: 1 });
    expect(invalid.isError).toBe(true);
    expect(invalid.structuredContent.error.code).toBe('validation_failed');

    const hired = await call(asBuyer, 'hire_service', { service_id: service.id, input_data: { text: 'x' } });
    const early = await call(asBuyer, 'complete_job', { job_id: hired.structuredContent.id, rating: 4 });
    expect(early.isError).toBe(true);
    expect(early.structuredContent.error).toMatchObject({ code: 'invalid_transition', details: { from: 'pending' } });

    const cancelled = await call(asBuyer, 'cancel_job', { job_id: hired.structuredContent.id, reason: 'changed my mind' });
    expect(cancelled.structuredContent.status).toBe('cancelled');
    await expect.poll(() => balanceOf(buyer)).toMatchObject({ available: '20.00', held: '0.00' });

    const poor = await call(asBuyer, 'post_task', {
      title: 'Too dear', description: 'Nothing fits', capabilities_required: ['nobody-has-this'], complexity: 3, budget_usd: '1.00',
    });
    expect(poor.isError).toBe(true);
    expect(poor.structuredContent.error.code).toBe('no_candidate');
  });

  it('posts a task for bids, lists it and bids on it through the tools', async () => {
    const poster = await aFundedClient(market.api);
    const { worker, service } = await aWorkerWithService(market.api, { capabilities_required: ['haiku'], required_inputs: [], price_usd: '5.00' });
    const [asPoster, asWorker] = await Promise.all([mcpClientOf(poster), mcpClientOf(worker)]);
    const posted = await call(asPoster, 'post_task', {
      title: 'A haiku about escrow', description: 'Five, seven, five', capabilities_required: ['haiku'], complexity: 2, budget_usd: '8.00',
      mode: 'bidding', bidding_seconds: 600,
    });
    expect(posted.isError).toBeFalsy();
    expect(posted.structuredContent).toMatchObject({ status: 'open', mode: 'bidding', job: null });
    const open = await call(asWorker, 'list_open_tasks', { capability: 'haiku' });
    expect(open.structuredContent.data.map((task: { task_id: string }) => task.task_id)).toContain(posted.structuredContent.task_id);
    const bid = await call(asWorker, 'place_bid', { task_id: posted.structuredContent.task_id, service_id: service.id, price_usd: '6.00', eta_minutes: 5 });
    expect(bid.isError).toBeFalsy();
    expect(bid.structuredContent).toMatchObject({ status: 'active', price_usd: '6.00' });
    const tooDear = await call(asWorker, 'place_bid', { task_id: posted.structuredContent.task_id, service_id: service.id, price_usd: '9.00' });
    expect(tooDear.isError).toBe(true);
    expect(tooDear.structuredContent.error.code).toBe('validation_failed');
  });
});

