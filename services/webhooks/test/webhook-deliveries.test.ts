import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { subjectForEvent, type EventEnvelope } from '@agentmarket/contracts';
import {
  aFundedClient,
  aRegisteredAgent,
  aWorkerWithService,
  hireService,
  jobAction,
  useTestStack,
  waitUntilDrained,
  type TestAgent,
} from '@agentmarket/testing';
import { WebhookReceiver, type Answer, type ReceivedDelivery } from './webhook-receiver.ts';

// Retries a second apart, so a test sees several attempts; an endpoint failing for 6 s is disabled.
const market = useTestStack({
  env: {
    WEBHOOK_RETRY_SCHEDULE_SECONDS: '1,1,1,1,1,1,1,1,1,1,1,1',
    WEBHOOK_DISABLE_AFTER_SECONDS: '6',
    WEBHOOK_POLL_MS: '100',
  },
});
const { api } = market;

const receivers: WebhookReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
});

async function aReceiver(answer?: (index: number) => Answer): Promise<WebhookReceiver> {
  const receiver = await WebhookReceiver.start(answer);
  receivers.push(receiver);
  return receiver;
}

interface CreatedWebhook {
  id: string;
  secret: string;
  url: string;
}

/** By default subscribed to an event no test causes: `*` would bring every public event of the market, and tests count deliveries. */
async function aWebhook(owner: TestAgent, url: string, eventTypes: string[] = ['job_resolved']): Promise<CreatedWebhook> {
  const response = await api('POST', '/api/webhooks', { key: owner.key, body: { url, event_types: eventTypes, description: 'test receiver' } });
  if (response.status !== 201) throw new Error(`webhook create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The event a delivery carries, after the reference implementation checked its signature (it throws otherwise). */
function verified(secret: string, delivery: ReceivedDelivery): { id: string; type: string; occurred_at: string; data: Record<string, any> } {
  return new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as never;
}

const sendTest = (owner: TestAgent, webhookId: string) => api('POST', `/api/webhooks/${webhookId}/test`, { key: owner.key });

describe('webhook deliveries', () => {
  let worker: TestAgent;
  let client: TestAgent;
  let serviceId: string;

  beforeAll(async () => {
    const made = await aWorkerWithService(api);
    worker = made.worker;
    serviceId = made.service.id;
    client = await aFundedClient(api);
  });

  it('delivers a job’s lifecycle, signed and in order, to the worker’s endpoint', async () => {
    const receiver = await aReceiver();
    const types = ['job_created', 'job_started', 'job_delivered', 'job_completed'];
    const webhook = await aWebhook(worker, receiver.url, types);
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    // Someone who is not a party: job events are public, so it gets them too, as the public view.
    const bystander = await aRegisteredAgent(api);
    const bystanderReceiver = await aReceiver();
    const bystanderWebhook = await aWebhook(bystander, bystanderReceiver.url, ['job_created']);

    const job = await hireService(api, client, serviceId);
    for (const [actor, action, body] of [
      [worker, 'start', undefined],
      [worker, 'deliver', { artifact_type: 'text', content: 'done' }],
      [client, 'complete', { rating: 5 }],
    ] as const) {
      expect((await jobAction(api, actor, job.id, action, body)).status).toBe(200);
    }

    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(4);
    const events = receiver.received.map((delivery) => verified(webhook.secret, delivery));
    expect(events.map((event) => event.type)).toEqual(types);
    expect(events.every((event) => event.data.job_id === job.id)).toBe(true);
    // The worker is a party: it gets the whole event, inputs included (the owner's view, as on its SSE stream).
    expect(events[0]!.data.input_data).toEqual({ text: 'hello' });
    await expect.poll(() => bystanderReceiver.received.length, { timeout: 20_000 }).toBe(1);
    const seenByBystander = verified(bystanderWebhook.secret, bystanderReceiver.received[0]!);
    expect(seenByBystander).toMatchObject({ id: events[0]!.id, type: 'job_created', data: { job_id: job.id } });
    expect(seenByBystander.data).not.toHaveProperty('input_data');
    // webhook-id is the event id.
    expect(receiver.received.map((delivery) => delivery.headers['webhook-id'])).toEqual(events.map((event) => event.id));

    const log = await api('GET', `/api/webhooks/${webhook.id}/deliveries`, { key: worker.key });
    expect(log.status).toBe(200);
    expect(log.body.data).toHaveLength(4);
    expect(log.body.data[0]).toMatchObject({ event_type: 'job_completed', status: 'delivered', attempts: 1, last_status_code: 200, last_error: null });
  });

  it('retries a failing receiver with the same webhook-id until it answers 2xx, and keeps later events behind it', async () => {
    const owner = await aRegisteredAgent(api);
    const receiver = await aReceiver((index) => (index < 3 ? 500 : 200));
    const webhook = await aWebhook(owner, receiver.url);
    const first = await sendTest(owner, webhook.id);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ event_type: 'webhook_test', status: 'pending' });
    const second = await sendTest(owner, webhook.id);

    const deliveries = async () => (await api('GET', `/api/webhooks/${webhook.id}/deliveries`, { key: owner.key })).body.data;
    await expect
      .poll(deliveries, { timeout: 20_000 })
      .toMatchObject([
        { id: second.body.id, status: 'delivered', attempts: 1 },
        { id: first.body.id, status: 'delivered', attempts: 4, last_status_code: 200 },
      ]);
    // The second event waited for the first, retried with one webhook-id, to get through.
    expect(receiver.received.map((delivery) => delivery.headers['webhook-id'])).toEqual([
      ...Array<string>(4).fill(first.body.event_id),
      second.body.event_id,
    ]);
    for (const delivery of receiver.received) expect(verified(webhook.secret, delivery).type).toBe('webhook_test');
  });

  it('does not let a hanging receiver delay another endpoint', async () => {
    const owner = await aRegisteredAgent(api);
    const hanging = await aReceiver(() => 'hang');
    const healthy = await aReceiver();
    const slow = await aWebhook(owner, hanging.url);
    const fast = await aWebhook(owner, healthy.url);
    expect((await sendTest(owner, slow.id)).status).toBe(202);
    await expect.poll(() => hanging.received.length, { timeout: 10_000 }).toBe(1);

    // The hanging attempt holds its connection for up to 15 s; the other endpoint's delivery goes meanwhile.
    const started = Date.now();
    expect((await sendTest(owner, fast.id)).status).toBe(202);
    await expect.poll(() => healthy.received.length, { timeout: 10_000 }).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(verified(fast.secret, healthy.received[0]!).type).toBe('webhook_test');
  });

  it('queues one delivery per event even when EVENTS redelivers it', async () => {
    const owner = await aRegisteredAgent(api);
    const receiver = await aReceiver();
    const webhook = await aWebhook(owner, receiver.url, ['agent_updated']);
    expect((await api('PATCH', '/api/agents/me', { key: owner.key, body: { description: 'now with webhooks' } })).status).toBe(200);
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    const event = verified(webhook.secret, receiver.received[0]!);

    // The same event again, as a redelivery would bring it (another message id, so the stream keeps it).
    const connection = await connect({ servers: market.stack.natsUrl });
    try {
      const envelope: EventEnvelope = {
        id: event.id,
        type: event.type,
        occurred_at: event.occurred_at,
        aggregate_id: owner.id,
        aggregate_version: 2,
        actor: { type: 'agent', id: owner.id },
        data: event.data,
      };
      await jetstream(connection).publish(subjectForEvent('agent_updated'), JSON.stringify(envelope), { msgID: `${event.id}-redelivered` });
    } finally {
      await connection.close();
    }
    await waitUntilDrained(market.stack);

    const log = await api('GET', `/api/webhooks/${webhook.id}/deliveries`, { key: owner.key });
    expect(log.body.data.map((delivery: { event_id: string }) => delivery.event_id)).toEqual([event.id]);
    expect(receiver.received).toHaveLength(1);
  });

  it('rotates the secret: the new one signs at once, the old one still does for a while', async () => {
    const owner = await aRegisteredAgent(api);
    const receiver = await aReceiver();
    const webhook = await aWebhook(owner, receiver.url);
    const rotated = await api('POST', `/api/webhooks/${webhook.id}/rotate-secret`, { key: owner.key });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(webhook.secret);
    const shown = await api('GET', `/api/webhooks/${webhook.id}`, { key: owner.key });
    expect(shown.body).not.toHaveProperty('secret');

    expect((await sendTest(owner, webhook.id)).status).toBe(202);
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    const [delivery] = receiver.received;
    expect(verified(rotated.body.secret, delivery!).type).toBe('webhook_test');
    expect(verified(webhook.secret, delivery!).type).toBe('webhook_test');
  });

  it('disables an endpoint that keeps failing and tells its owner in the inbox', async () => {
    const owner = await aRegisteredAgent(api);
    const receiver = await aReceiver(() => 503);
    const webhook = await aWebhook(owner, receiver.url);
    expect((await sendTest(owner, webhook.id)).status).toBe(202);

    await expect
      .poll(async () => (await api('GET', `/api/webhooks/${webhook.id}`, { key: owner.key })).body, { timeout: 30_000 })
      .toMatchObject({ is_active: false, disabled_reason: expect.stringContaining('failed since') });
    await expect
      .poll(async () => (await api('GET', '/api/inbox', { key: owner.key })).body.messages, { timeout: 20_000 })
      .toContainEqual(expect.objectContaining({ message_type: 'webhook_disabled', content: expect.objectContaining({ webhook_id: webhook.id }) }));
    const attempts = receiver.received.length;
    expect(attempts).toBeGreaterThanOrEqual(2);

    // Re-enabled, it gets the pending delivery.
    receiver.received.length = 0;
    const enabled = await api('PATCH', `/api/webhooks/${webhook.id}`, { key: owner.key, body: { is_active: true } });
    expect(enabled.body).toMatchObject({ is_active: true, disabled_reason: null });
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
  });
});

describe('webhook endpoints', () => {
  it('are their owner’s alone: anyone else gets 404 on every route', async () => {
    const [owner, stranger] = await Promise.all([aRegisteredAgent(api), aRegisteredAgent(api)]);
    const receiver = await aReceiver();
    const webhook = await aWebhook(owner, receiver.url);
    const test = await sendTest(owner, webhook.id);
    const base = `/api/webhooks/${webhook.id}`;
    for (const [method, path, body] of [
      ['GET', base, undefined],
      ['PATCH', base, { description: 'mine now' }],
      ['DELETE', base, undefined],
      ['POST', `${base}/rotate-secret`, undefined],
      ['POST', `${base}/test`, undefined],
      ['GET', `${base}/deliveries`, undefined],
      ['POST', `${base}/deliveries/${test.body.id}/retry`, undefined],
    ] as const) {
      const response = await api(method, path, { key: stranger.key, body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    expect((await api('GET', '/api/webhooks', { key: stranger.key })).body.data).toEqual([]);
    expect((await api('GET', base, { key: owner.key })).body.description).toBe('test receiver');
    expect((await api('DELETE', base, { key: owner.key })).status).toBe(200);
    expect((await api('GET', base, { key: owner.key })).status).toBe(404);
  });

  it('refuses bad input with 400 and creates nothing', async () => {
    const owner = await aRegisteredAgent(api);
    for (const body of [
      { url: 'ftp://example.com/hooks', event_types: ['*'] },
      { url: 'not a url', event_types: ['*'] },
      { url: 'https://user:pass@example.com/hooks', event_types: ['*'] },
      { url: 'https://example.com/hooks', event_types: ['no_such_event'] },
      { url: 'https://example.com/hooks', event_types: [] },
      { url: 'https://example.com/hooks', event_types: ['*', 'job_created'] },
      { url: 'https://example.com/hooks', event_types: ['*'], description: 'x'.repeat(501) },
      { url: 'https://example.com/hooks', event_types: ['*'], secret: 'whsec_mine' },
      { url: 'http://169.254.169.254/latest/meta-data', event_types: ['*'] },
    ]) {
      const response = await api('POST', '/api/webhooks', { key: owner.key, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
    }
    expect((await api('GET', '/api/webhooks', { key: owner.key })).body.data).toEqual([]);
    expect((await api('POST', '/api/webhooks', { body: { url: 'https://example.com/', event_types: ['*'] } })).status).toBe(401);
  });

  it('pages the list with a cursor', async () => {
    const owner = await aRegisteredAgent(api);
    const receiver = await aReceiver();
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await aWebhook(owner, receiver.url));
    const first = await api('GET', '/api/webhooks?limit=2', { key: owner.key });
    expect(first.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([created[2]!.id, created[1]!.id]);
    const second = await api('GET', `/api/webhooks?limit=2&cursor=${first.body.next_cursor}`, { key: owner.key });
    expect(second.body).toMatchObject({ data: [{ id: created[0]!.id }], next_cursor: null });
  });
});
