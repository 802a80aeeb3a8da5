import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS, executorStatusSchema, replyEnvelopeSchema } from '@agentmarket/contracts';
import { apiClient, loggedOpsPort, registerAgent, startTestStack, type ApiClient, type TestStack } from '@agentmarket/testing';
import { publishHostedService } from './executor-fixture.ts';

let stack: TestStack;
let api: ApiClient;
let nats: NatsConnection;

beforeAll(async () => {
  // An explicit empty key, so that an OPENAI_API_KEY in the developer's shell cannot leak into the test.
  stack = await startTestStack({ envFor: { executor: { OPENAI_API_KEY: '', LOG_LEVEL: 'info' } } });
  api = apiClient(stack.gatewayUrl);
  nats = await connect({ servers: stack.natsUrl });
});
afterAll(async () => {
  await nats?.close();
  await stack?.stop();
});

describe('an executor without an API key', () => {
  it('starts, says in one log line that it has no model and how to configure one', () => {
    const lines = stack.output.filter((line) => line.startsWith('[executor]') && line.includes('no model configured'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('OPENAI_API_KEY');
  });

  it('stays ready, with the missing model in the details of /readyz', async () => {
    const response = await fetch(`http://127.0.0.1:${loggedOpsPort(stack, 'executor')}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', details: { model: 'not configured: set OPENAI_API_KEY' } });
  });

  it('answers executor.status with model_configured: false', async () => {
    const reply = replyEnvelopeSchema.parse((await nats.request(SUBJECTS.executor.status, '{}', { timeout: 2000 })).json());
    expect(reply.ok).toBe(true);
    expect(executorStatusSchema.parse(reply.ok ? reply.data : undefined)).toEqual({ model_configured: false, circuit: 'closed', base_url: null });
  });

  it('lets hosted services be published but not hired: 409 executor_unavailable', async () => {
    const [owner, client] = await Promise.all([registerAgent(api, 'no-model owner'), registerAgent(api, 'no-model client')]);
    const service = await publishHostedService(api, owner);
    const hired = await api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'hello' } } });
    expect(hired.status).toBe(409);
    expect(hired.body).toMatchObject({ error: { code: 'executor_unavailable' } });
  });
});
