import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '@agentmarket/config';
import { connectBus } from '@agentmarket/messaging';
import { createMetrics } from '@agentmarket/observability';
import {
  TEST_ADMIN_KEY,
  TEST_STACK_ENV,
  aFundedClient,
  aWorkerWithService,
  apiClient,
  eventually,
  hireService,
  jobAction,
  useTestStack,
  type ApiClient,
} from '@agentmarket/testing';
import { buildGateway, type Gateway } from '../src/app.ts';
import { gatewaySettings } from '../src/config.ts';

/** One reply of the gateway under test: what JSON.stringify gives for the object the handler answered, and what was sent. */
interface Captured {
  route: string;
  status: number;
  stringified: string;
  sent: string;
}

const captured: Captured[] = [];

// Every Fastify instance the gateway under test creates records, for each
// reply, the object before serialization (as JSON.stringify writes it) and the bytes that left. Fastify announces
// each new instance on this diagnostics channel before any route or hook of its owner is added, so these hooks
// run first and see what the handler answered.
const recordReplies = ({ fastify: app }: { fastify: FastifyInstance }) => {
  const stringified = new WeakMap<object, string>();
  app.addHook('preSerialization', async (request, _reply, payload) => {
    stringified.set(request, JSON.stringify(payload));
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const expected = stringified.get(request);
    if (expected !== undefined) {
      captured.push({ route: `${request.method} ${request.routeOptions.url}`, status: reply.statusCode, stringified: expected, sent: String(payload) });
    }
    return payload;
  });
};

const market = useTestStack();
const logLines: { level: number; msg: string; route?: string; routes?: Record<string, string> }[] = [];
let gateway: Gateway;
let closeBus: () => Promise<void>;
let api: ApiClient;

beforeAll(async () => {
  // A second gateway, in this process, on the stack's bus (the test connects as the bus operator): its replies
  // are the ones compared. It logs at debug into logLines, to show which routes fell back and why.
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const connection = await connectBus({
    servers: market.stack.natsUrl,
    name: 'gateway:reply-serialization',
    logger,
    credentials: { NATS_USER: '', NATS_PASSWORD: '', NATS_TLS_CA_FILE: '' },
  });
  closeBus = () => connection.close();
  const settings = loadSettings(gatewaySettings, { ...TEST_STACK_ENV, NATS_URL: market.stack.natsUrl, NODE_ENV: 'development' });
  const recorder = (message: unknown) => recordReplies(message as { fastify: FastifyInstance });
  subscribe('fastify.initialization', recorder);
  try {
    gateway = await buildGateway({ settings, connection, logger, metrics: createMetrics('gateway') });
  } finally {
    unsubscribe('fastify.initialization', recorder);
  }
  const address = await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  api = apiClient(address);
});

afterAll(async () => {
  await gateway?.stop();
  await closeBus?.();
});

describe('replies serialized with their documented schemas', () => {
  it('compiles a serializer for every documented route: none falls back to JSON.stringify', () => {
    const fallbacks = logLines.filter((line) => line.msg.startsWith('replies sent with JSON.stringify'));
    expect(fallbacks.map((line) => line.routes)).toEqual([]);
  });

  it('sends the main replies with every field JSON.stringify would send, no more, no fewer', async () => {
    const { worker, service } = await aWorkerWithService(api);
    const client = await aFundedClient(api);
    const admin = { 'x-admin-key': TEST_ADMIN_KEY };
    const ok = async (method: string, path: string, options: Parameters<ApiClient>[2] = {}, status = 200) => {
      const response = await api(method, path, options);
      expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
      return response.body;
    };

    // Agents and services: profiles, a page with a next_cursor.
    await ok('GET', `/api/agents/${worker.id}`);
    await ok('GET', '/api/agents/me', { key: worker.key });
    expect((await ok('GET', '/api/agents?limit=1')).next_cursor).toEqual(expect.any(String));
    await ok('GET', `/api/services/${service.id}`);
    await ok('GET', '/api/services?limit=1');

    // A job with two deliverables (text and JSON content), a revision between them, and a sub-job for the tree.
    const job = await hireService(api, client, service.id, { title: 'Serialized' });
    expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
    expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'first', artifact_metadata: { words: 1 } })).status).toBe(200);
    expect((await jobAction(api, client, job.id, 'request-revision', { feedback: 'more' })).status).toBe(200);
    expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'json', content: { lines: ['a', { b: null }] } })).status).toBe(200);
    const { service: subService } = await aWorkerWithService(api);
    await hireService(api, worker, subService.id, { parent_job_id: job.id });
    expect((await ok('GET', `/api/jobs/${job.id}`, { key: client.key })).deliverables).toHaveLength(2);
    expect((await ok('GET', `/api/jobs/${job.id}/tree`, { key: client.key })).children).toHaveLength(1);
    await ok('GET', `/api/jobs/${job.id}/history`, { key: client.key });
    await ok('POST', `/api/jobs/${job.id}/messages`, { key: client.key, body: { content: 'thanks' } }, 201);
    await ok('GET', `/api/jobs/${job.id}/messages`, { key: worker.key });
    await hireService(api, client, service.id);
    expect((await ok('GET', '/api/jobs?limit=1', { key: client.key })).next_cursor).toEqual(expect.any(String));
    expect((await jobAction(api, client, job.id, 'complete', { rating: 5, review: 'fine' })).status).toBe(200);

    // Money, the inbox, activity and the market.
    await ok('GET', '/api/wallet', { key: client.key });
    await ok('GET', '/api/wallet/transactions?limit=1', { key: client.key });
    await ok('POST', '/api/admin/credit', { headers: admin, body: { agent_id: client.id, amount_usd: '1.00', note: 'top-up' } }, 201);
    await eventually(
      () => api('GET', '/api/inbox', { key: worker.key }),
      (inbox) => inbox.body.messages?.length > 0,
    );
    await ok('GET', '/api/inbox?limit=1', { key: worker.key });
    await ok('GET', '/api/activity', { key: client.key });
    await ok('GET', '/api/stats');
    await ok('GET', '/api/system');

    // A webhook: its signing secret is shown once, and must be.
    const webhook = await ok('POST', '/api/webhooks', { key: worker.key, body: { url: 'http://127.0.0.1:9/hook', event_types: ['job_created'] } }, 201);
    expect(webhook.secret).toEqual(expect.any(String));
    await ok('GET', '/api/webhooks', { key: worker.key });

    // Errors: not found, invalid input (details per field), unauthenticated.
    expect((await api('GET', `/api/jobs/${randomUUID()}`, { key: client.key })).status).toBe(404);
    expect((await api('POST', `/api/jobs/${job.id}/complete`, { key: client.key, body: { rating: 9 } })).status).toBe(400);
    expect((await api('GET', '/api/wallet', { key: 'agmkt_sk_not-a-key' })).status).toBe(401);

    const replies = captured.filter((reply) => reply.route.includes('/api/'));
    for (const reply of replies) {
      expect(JSON.parse(reply.sent), `${reply.route} ${reply.status}`).toStrictEqual(JSON.parse(reply.stringified));
    }
    const seen = new Set(replies.map((reply) => `${reply.route} ${reply.status}`));
    for (const expected of [
      'GET /api/agents/:id 200',
      'GET /api/agents/me 200',
      'GET /api/agents 200',
      'GET /api/services/:id 200',
      'GET /api/services 200',
      'POST /api/jobs 201',
      'GET /api/jobs/:id 200',
      'GET /api/jobs/:id/tree 200',
      'GET /api/jobs/:id/history 200',
      'POST /api/jobs/:id/deliver 200',
      'GET /api/jobs 200',
      'GET /api/jobs/:id/messages 200',
      'POST /api/jobs/:id/messages 201',
      'GET /api/wallet 200',
      'GET /api/wallet/transactions 200',
      'POST /api/admin/credit 201',
      'GET /api/inbox 200',
      'GET /api/activity 200',
      'GET /api/stats 200',
      'GET /api/system 200',
      'POST /api/webhooks 201',
      'GET /api/jobs/:id 404',
      'POST /api/jobs/:id/complete 400',
      'GET /api/wallet 401',
    ]) {
      expect(seen, expected).toContain(expected);
    }
    // No reply needed the JSON.stringify fallback: every one fit its compiled serializer.
    expect(logLines.filter((line) => line.msg.startsWith('a reply does not fit')).map((line) => line.route)).toEqual([]);
  });
});
