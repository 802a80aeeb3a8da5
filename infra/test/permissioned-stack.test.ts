import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase, ensureNatsAuth, findFreePort, startNatsServer, type RunningNats } from '@agentmarket/local-infra';
import { startStack, type RunningStack } from '../src/index.ts';
import {
  SseTestClient,
  TEST_ADMIN_KEY,
  TEST_STACK_ENV,
  apiClient,
  eventually,
  hireService,
  jobAction,
  publishService,
  registerAgent,
  waitUntilDrained,
  type ApiClient,
} from '@agentmarket/testing';

/**
 * The whole market on a nats-server that knows only the generated users and
 * refuses anonymous clients: every process connects as itself, with only the
 * rights derived from the declarations. A lifecycle that completes, with its
 * events, inbox messages, money and SSE replay, and not one permission
 * violation in the server's log, shows the permissions are enough.
 */
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
let workDir: string;
let databaseName: string;
let nats: RunningNats;
let stack: RunningStack;
let api: ApiClient;
const serverLog: string[] = [];
const output: string[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-permissioned-'));
  databaseName = `am_perm_${randomUUID().slice(0, 8)}`;
  const databaseUrl = await ensureDatabase(ADMIN_URL, databaseName);
  const natsAuth = await ensureNatsAuth(path.join(workDir, 'nats-auth'));
  nats = await startNatsServer({ storeDir: path.join(workDir, 'nats'), configFile: natsAuth.configFile, logger: (line) => serverLog.push(line) });
  stack = await startStack({
    databaseUrl,
    natsUrl: nats.url,
    natsAuth,
    dataDir: workDir,
    gatewayPort: await findFreePort(),
    env: TEST_STACK_ENV,
    onOutput: (name, line) => output.push(`[${name}] ${line}`),
  });
  api = apiClient(stack.gatewayUrl);
});

afterAll(async () => {
  await stack?.stop();
  await nats?.stop();
  await dropDatabase(ADMIN_URL, databaseName).catch(() => {});
  await rm(workDir, { recursive: true, force: true });
});

describe('the market under per-service bus permissions', () => {
  it('runs a whole job lifecycle with no permission violation: events, grants, inboxes, idempotent replays and SSE replay all work', async () => {
    const feed = await SseTestClient.connect(`${stack.gatewayUrl}/api/events`);
    const [client, worker] = await Promise.all([registerAgent(api, 'Client', ['hiring']), registerAgent(api, 'Worker', ['writing'])]);
    const service = await publishService(api, worker);
    const job = await hireService(api, client, service.id, { input_data: { text: 'bees' } });
    expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
    expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'Bees.' })).status).toBe(200);
    expect((await jobAction(api, client, job.id, 'complete', { rating: 5 })).body.status).toBe('completed');

    // An admin credit with an Idempotency-Key: the gateway's KV store records it, the retry replays it.
    const credit = { headers: { 'x-admin-key': TEST_ADMIN_KEY, 'idempotency-key': `perm-${randomUUID()}` }, body: { agent_id: client.id, amount_usd: '1.00' } };
    const first = await api('POST', '/api/admin/credit', credit);
    expect(first.status).toBe(201);
    expect((await api('POST', '/api/admin/credit', credit)).body).toEqual(first.body);

    // Consumers of every service did their part: the worker's inbox heard of the job, reputation moved.
    await eventually(
      () => api('GET', '/api/inbox', { key: worker.key }),
      (inbox) => inbox.body.messages?.length > 0,
    );
    // Reputation's consumer, then identity's projection of its figures (and waitUntilDrained, as operator).
    await waitUntilDrained(stack);
    await eventually(
      () => api('GET', `/api/agents/${worker.id}`),
      (profile) => profile.body.jobs_completed === 1,
    );

    // Live events reached the SSE feed through the gateway's ordered consumer; a resumed client gets them replayed.
    const live = await feed.waitFor((events) => events.some((event) => event.event === 'job_completed'));
    feed.close();
    const firstId = live[0]!.id!;
    const resumed = await SseTestClient.connect(`${stack.gatewayUrl}/api/events`, { 'last-event-id': firstId });
    await resumed.waitFor((events) => events.some((event) => event.event === 'job_completed'));
    resumed.close();

    expect(serverLog.filter((line) => line.includes('Violation'))).toEqual([]);
    expect(output.filter((line) => /Permissions Violation/i.test(line))).toEqual([]);
  });
});
