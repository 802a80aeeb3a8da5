import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { aFundedClient, aWorkerWithService, eventually, hireService, useTestStack, type TestAgent } from '@agentmarket/testing';

/**
 * Typed inputs through the gateway on a whole market: a service declares the
 * JSON Schema of its input_data, the catalog refuses a schema it could not
 * use, and a hire whose inputs do not follow it is refused before anything is
 * held or stored; A2A cards and MCP publish the schema.
 */
const market = useTestStack({ env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } });
const { api } = market;

const TOPIC_SCHEMA = {
  type: 'object',
  properties: {
    topic: { type: 'string', minLength: 3 },
    lines: { type: 'integer', minimum: 1, maximum: 10 },
    reply_to: { type: 'string', format: 'email' },
  },
  required: ['topic'],
};

const usdWallet = async (agent: TestAgent) => {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  return wallet.body.balances.find((balance: { currency: string }) => balance.currency === 'USD');
};
const hire = (client: TestAgent, serviceId: string, inputData: Record<string, unknown>) =>
  api('POST', '/api/jobs', { key: client.key, body: { service_id: serviceId, input_data: inputData } });

describe('publishing an input_schema', () => {
  it('shows the schema on the service, and null on a service without one', async () => {
    const { service } = await aWorkerWithService(api, { required_inputs: [], input_schema: TOPIC_SCHEMA });
    expect(service.input_schema).toEqual(TOPIC_SCHEMA);
    expect((await api('GET', `/api/services/${service.id}`)).body.input_schema).toEqual(TOPIC_SCHEMA);
    const { service: plain } = await aWorkerWithService(api);
    expect((await api('GET', `/api/services/${plain.id}`)).body.input_schema).toBeNull();
  });

  it.each([
    ['does not compile', { type: 'object', properties: { topic: { type: 'strnig' } } }, /does not compile/],
    ['refers outside itself', { type: 'object', properties: { topic: { $ref: 'https://example.com/topic.json' } } }, /not local/],
    ['is larger than 16 KiB', { type: 'object', description: 'x'.repeat(17 * 1024) }, /bytes serialized/],
    ['nests deeper than 16 levels', nested(9), /deeper than 16/],
    ['has a catastrophic pattern', { type: 'object', properties: { topic: { type: 'string', pattern: '^(a+)+$' } } }, /nested quantifier/],
  ])('refuses a schema that %s with 400 naming body.input_schema', async (_, schema, reason) => {
    const { worker } = await aWorkerWithService(api);
    const response = await api('POST', '/api/services', {
      key: worker.key,
      body: { name: 'Typed', description: 'typed inputs', price_usd: '1.00', output_type: 'text', input_schema: schema },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details['body.input_schema']).toMatch(reason);
  });

  it('accepts local $refs', async () => {
    const schema = { $defs: { topic: { type: 'string' } }, type: 'object', properties: { topic: { $ref: '#/$defs/topic' } } };
    const { service } = await aWorkerWithService(api, { input_schema: schema });
    expect(service.input_schema).toEqual(schema);
  });
});

describe('hiring a service with an input_schema', () => {
  it('refuses input_data that does not follow the schema with 422 invalid_inputs: nothing held, no job', async () => {
    const { service } = await aWorkerWithService(api, { required_inputs: [], input_schema: TOPIC_SCHEMA });
    const client = await aFundedClient(api, { usd: '50.00' });
    const refused = await hire(client, service.id, { topic: 'x', lines: 40, reply_to: 'nobody' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_inputs');
    expect(refused.body.error.details.errors).toEqual(
      expect.arrayContaining([
        { path: '/topic', message: expect.stringContaining('3 characters') },
        { path: '/lines', message: expect.stringContaining('<= 10') },
        { path: '/reply_to', message: expect.stringContaining('email') },
      ]),
    );
    const missing = await hire(client, service.id, { lines: 2 });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.errors).toEqual([{ path: '/topic', message: "must have required property 'topic'" }]);
    expect(await usdWallet(client)).toMatchObject({ available: '50.00', held: '0.00' });
    expect((await api('GET', '/api/jobs?role=client', { key: client.key })).body.data).toEqual([]);

    const hired = await hireService(api, client, service.id, { input_data: { topic: 'the sea', lines: 3 } });
    expect(hired.status).toBe('pending');
    expect(await usdWallet(client)).toMatchObject({ available: '40.00', held: '10.00' });
  });

  it('still answers missing_inputs for a required input before the schema', async () => {
    const { service } = await aWorkerWithService(api, { required_inputs: [{ name: 'text' }], input_schema: TOPIC_SCHEMA });
    const client = await aFundedClient(api);
    const response = await hire(client, service.id, { topic: 'the sea' });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'missing_inputs', details: { missing: ['text'] } });
  });

  it('checks later hires against a patched schema, and against none once it is removed', async () => {
    const { worker, service } = await aWorkerWithService(api, { required_inputs: [], input_schema: TOPIC_SCHEMA });
    const client = await aFundedClient(api);
    expect((await hire(client, service.id, { topic: 'the sea' })).status).toBe(201);

    const stricter = { ...TOPIC_SCHEMA, required: ['topic', 'lines'] };
    const patched = await api('PATCH', `/api/services/${service.id}`, { key: worker.key, body: { input_schema: stricter } });
    expect(patched.status).toBe(200);
    expect(patched.body.input_schema).toEqual(stricter);
    // The jobs service drops its cached terms when the catalog's event arrives.
    await eventually(
      async () => (await hire(client, service.id, { topic: 'the moon' })).body,
      (body) => body.error?.code === 'invalid_inputs',
    );

    const bad = await api('PATCH', `/api/services/${service.id}`, { key: worker.key, body: { input_schema: { type: 42 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details['body.input_schema']).toMatch(/does not compile/);

    expect((await api('PATCH', `/api/services/${service.id}`, { key: worker.key, body: { input_schema: null } })).body.input_schema).toBeNull();
    await eventually(
      async () => (await hire(client, service.id, { anything: true })).status,
      (status) => status === 201,
    );
  });
});

describe('publishing the schema to A2A and MCP clients', () => {
  it('puts each skill’s schema in the agent card’s input-schemas extension', async () => {
    const { worker, service } = await aWorkerWithService(api, { required_inputs: [], input_schema: TOPIC_SCHEMA });
    const card = await eventually(
      async () => (await api('GET', `/a2a/agents/${worker.id}/.well-known/agent-card.json`)).body,
      (body) => Array.isArray(body?.skills) && body.skills.length > 0,
    );
    const extension = card.capabilities.extensions.find((candidate: { uri: string }) => candidate.uri === 'urn:agentmarket:a2a:input-schemas:v1');
    expect(extension.params.schemas[service.id]).toEqual(TOPIC_SCHEMA);
  });

  it('returns the schema from MCP get_service, checked against the tool’s output schema, and refuses bad inputs in hire_service', async () => {
    const { service } = await aWorkerWithService(api, { required_inputs: [], input_schema: TOPIC_SCHEMA });
    const buyer = await aFundedClient(api);
    const client = new Client({ name: 'typed-inputs-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', market.stack.gatewayUrl), { requestInit: { headers: { 'X-Agent-Key': buyer.key } } }),
    );
    try {
      await client.listTools(); // the client validates structuredContent against each tool's output schema from here on
      const found = await client.callTool({ name: 'get_service', arguments: { service_id: service.id } });
      expect(found.isError).toBeFalsy();
      expect((found.structuredContent as { input_schema: unknown }).input_schema).toEqual(TOPIC_SCHEMA);
      const refused = await client.callTool({
        name: 'hire_service',
        arguments: { service_id: service.id, input_data: { topic: 1 }, idempotency_key: `typed-${service.id}` },
      });
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({ error: { code: 'invalid_inputs', details: { errors: [{ path: '/topic' }] } } });
    } finally {
      await client.close();
    }
  });
});

function nested(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let level = 0; level < levels; level++) schema = { type: 'object', properties: { inner: schema } };
  return schema;
}
