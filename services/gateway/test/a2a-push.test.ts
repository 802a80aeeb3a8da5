import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Message, StreamResponse, TaskState, type Task, type TaskPushNotificationConfig } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { aFundedClient, aWorkerWithService, hireService, jobAction, useTestStack, type TestAgent } from '@agentmarket/testing';

const market = useTestStack({ env: { WEBHOOK_POLL_MS: '100' } });

/** The official client, unchanged, with the caller's key. */
async function a2aClientOf(caller: TestAgent, agentId: string): Promise<Client> {
  const authenticated: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('X-Agent-Key', caller.key);
    return fetch(input, { ...init, headers });
  };
  const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl: authenticated })] });
  return factory.createFromUrl(`${market.stack.gatewayUrl}/a2a/agents/${agentId}/`);
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 (the test stack allows private targets) recording every notification. */
const received: Received[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(200).end();
  });
});
const receiverUrl = new Promise<string>((resolve) =>
  receiver.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/a2a-push`)),
);
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const hireMessage = (serviceId: string, extra: Record<string, unknown> = {}) => ({
  tenant: '',
  configuration: undefined,
  metadata: undefined,
  message: Message.fromJSON({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ data: { service_id: serviceId, input_data: { text: 'x' }, ...extra } }] }),
});

const pushConfig = (fields: Partial<TaskPushNotificationConfig> & { taskId: string; url: string }): TaskPushNotificationConfig => ({
  tenant: '',
  id: '',
  token: '',
  authentication: undefined,
  ...fields,
});

describe('A2A push notifications, stored as webhooks of the caller', () => {
  it('sends each new state of the task to the config’s url, signed, with the A2A token and Authorization, in order', async () => {
    const { worker, service } = await aWorkerWithService(market.api);
    const buyer = await aFundedClient(market.api, { usd: '50.00' });
    const client = await a2aClientOf(buyer, worker.id);
    const task = (await client.sendMessage(hireMessage(service.id))) as Task;
    const url = `${await receiverUrl}/${task.id}`;

    const created = await client.createTaskPushNotificationConfig(
      pushConfig({ taskId: task.id, url, token: 'task-token-1', authentication: { scheme: 'Bearer', credentials: 'receiver-credential' } }),
    );
    expect(created).toMatchObject({ taskId: task.id, url, token: 'task-token-1', authentication: { scheme: 'Bearer', credentials: 'receiver-credential' } });
    expect(created.id).not.toBe('');

    // The config is a webhook of the caller: it signs with its secret, which the owner gets (once) by rotating it.
    const webhooks = await market.api('GET', '/api/webhooks', { key: buyer.key });
    const webhook = webhooks.body.data.find((entry: { job_id: string | null }) => entry.job_id === task.id);
    expect(webhook).toMatchObject({ url, format: 'a2a' });
    const rotated = await market.api('POST', `/api/webhooks/${webhook.id}/rotate-secret`, { key: buyer.key });
    expect(rotated.status).toBe(200);
    const secret: string = rotated.body.secret;

    expect((await jobAction(market.api, worker, task.id, 'start')).status).toBe(200);
    expect((await jobAction(market.api, worker, task.id, 'deliver', { artifact_type: 'text', content: 'Waves' })).status).toBe(200);
    const ours = () => received.filter((delivery) => delivery.body.includes(task.id));
    await expect.poll(() => ours().length, { timeout: 20_000 }).toBe(2);

    const updates = ours().map((delivery) => {
      expect(delivery.headers['x-a2a-notification-token']).toBe('task-token-1');
      expect(delivery.headers.authorization).toBe('Bearer receiver-credential');
      expect(delivery.headers['content-type']).toBe('application/a2a+json');
      // Standard Webhooks' reference verifier: it throws on a forged, altered or stale notification.
      const body = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
      const update = StreamResponse.fromJSON(body);
      if (update.payload?.$case !== 'statusUpdate') throw new Error(`not a status update: ${delivery.body}`);
      return update.payload.value;
    });
    expect(updates.map((update) => [update.taskId, update.contextId, update.status?.state])).toEqual([
      [task.id, task.contextId, TaskState.TASK_STATE_WORKING],
      [task.id, task.contextId, TaskState.TASK_STATE_INPUT_REQUIRED],
    ]);
    expect(updates.every((update) => typeof update.status?.timestamp === 'string')).toBe(true);
  });

  it('gets, lists by pages and deletes the caller’s configs; a stranger finds no task', async () => {
    const { worker, service } = await aWorkerWithService(market.api);
    const buyer = await aFundedClient(market.api, { usd: '50.00' });
    const client = await a2aClientOf(buyer, worker.id);
    const task = (await client.sendMessage(hireMessage(service.id))) as Task;
    const url = await receiverUrl;

    await client.createTaskPushNotificationConfig(pushConfig({ taskId: task.id, id: 'first', url, authentication: { scheme: 'Bearer', credentials: 'c1' } }));
    await client.createTaskPushNotificationConfig(pushConfig({ taskId: task.id, id: 'second', url, token: 't2' }));
    // The same id again replaces that config.
    await client.createTaskPushNotificationConfig(pushConfig({ taskId: task.id, id: 'second', url: `${url}/moved`, token: 't2b' }));

    const first = await client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: 'first' });
    // Read back, the credentials are not shown: only their scheme.
    expect(first).toMatchObject({ id: 'first', taskId: task.id, url, authentication: { scheme: 'Bearer', credentials: '' } });
    const pageOne = await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 1, pageToken: '' });
    expect(pageOne.configs.map((config) => config.id)).toEqual(['first']);
    const pageTwo = await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 1, pageToken: pageOne.nextPageToken });
    expect(pageTwo.configs).toMatchObject([{ id: 'second', url: `${url}/moved`, token: 't2b' }]);
    expect(pageTwo.nextPageToken).toBe('');

    await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: 'second' });
    await expect(client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: 'second' })).rejects.toMatchObject({ name: 'TaskNotFoundError' });
    expect((await client.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 10, pageToken: '' })).configs.map((c) => c.id)).toEqual(['first']);

    // The worker is a party too: its configs are its own.
    const asWorker = await a2aClientOf(worker, worker.id);
    await asWorker.createTaskPushNotificationConfig(pushConfig({ taskId: task.id, id: 'mine', url }));
    expect((await asWorker.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 10, pageToken: '' })).configs.map((c) => c.id)).toEqual(['mine']);

    const stranger = await a2aClientOf(await aFundedClient(market.api, { usd: '1.00' }), worker.id);
    await expect(stranger.createTaskPushNotificationConfig(pushConfig({ taskId: task.id, url }))).rejects.toMatchObject({ name: 'TaskNotFoundError' });
    await expect(stranger.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: 'first' })).rejects.toMatchObject({ name: 'TaskNotFoundError' });
    await expect(stranger.listTaskPushNotificationConfig({ tenant: '', taskId: task.id, pageSize: 10, pageToken: '' })).rejects.toMatchObject({ name: 'TaskNotFoundError' });

    // A target the SSRF guard refuses is a malformed request.
    const metadata = client.createTaskPushNotificationConfig(pushConfig({ taskId: task.id, url: 'http://169.254.169.254/latest' }));
    await expect(metadata).rejects.toMatchObject({ name: 'RequestMalformedError' });
  });

  it('gives every job of a tree the root job as its contextId, grandchildren included', async () => {
    const buyer = await aFundedClient(market.api, { usd: '50.00' });
    const [top, middle, bottom] = await Promise.all([aWorkerWithService(market.api), aWorkerWithService(market.api), aWorkerWithService(market.api)]);
    const root = await hireService(market.api, buyer, top.service.id);
    const child = await hireService(market.api, buyer, middle.service.id, { parent_job_id: root.id });
    expect(child).toMatchObject({ parent_job_id: root.id, root_job_id: root.id });
    const grandchild = (await (await a2aClientOf(buyer, bottom.worker.id)).sendMessage(hireMessage(bottom.service.id, { parent_job_id: child.id }))) as Task;
    expect(grandchild.contextId).toBe(root.id);
    expect(grandchild.metadata?.job).toMatchObject({ parent_job_id: child.id, root_job_id: root.id });
    expect(root.root_job_id).toBe(root.id);
  });
});
