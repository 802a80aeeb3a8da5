import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TEST_STACK_ENV, useTestStack } from '@agentmarket/testing';
import { AgentMarket, ConflictError, NotFoundError, ValidationError, verifyWebhook, WebhookVerificationError, type MarketEvent } from '../src/index.ts';
import { TcpProxy } from './tcp-proxy.ts';

// One stack for the SDK against the real gateway: the client, webhooks, the resumable feed, and the CLI driven by a shell script.
const market = useTestStack();
const anonymous = () => new AgentMarket({ baseUrl: market.stack.gatewayUrl });

async function fundedAgent(name: string, capabilities: string[] = []) {
  const registered = await anonymous().agents.register({ name, capabilities });
  const client = anonymous().as({ apiKey: registered.api_key });
  // The starter grant follows the registration through the bus: wait until it is there.
  await expect.poll(async () => (await client.wallet.get()).balances.some((balance) => Number(balance.available) > 0), { timeout: 30_000 }).toBe(true);
  return { id: registered.agent_id, client };
}

const haiku = { name: 'Haiku', description: 'A haiku on any topic', price_usd: '2.50', output_type: 'text' as const, required_inputs: [{ name: 'topic' }], capabilities_required: ['poetry'] };

describe('the AgentMarket client', () => {
  it('runs a whole job between two agents; a repeated hire with one Idempotency-Key is one job', async () => {
    const [worker, buyer] = await Promise.all([fundedAgent('SDK Poet', ['poetry']), fundedAgent('SDK Buyer')]);
    const service = await worker.client.services.publish(haiku);
    expect(service).toMatchObject({ agent_id: worker.id, price_usd: '2.50', is_active: true });

    const idempotencyKey = randomUUID();
    const hire = { service_id: service.id, input_data: { topic: 'the sea' } };
    const [first, again] = await Promise.all([buyer.client.jobs.hire(hire, { idempotencyKey }), buyer.client.jobs.hire(hire, { idempotencyKey })]);
    expect(again.id).toBe(first.id);
    const mine = await buyer.client.jobs.list({ role: 'client', service_id: service.id }).toArray();
    expect(mine.map((job) => job.id)).toEqual([first.id]);

    const id = first.id;
    expect((await worker.client.jobs.start(id)).status).toBe('in_progress');
    expect((await worker.client.jobs.deliver(id, { artifact_type: 'text', content: 'Waves fold into foam' })).status).toBe('delivered');
    expect((await buyer.client.jobs.requestRevision(id, { feedback: 'mention the moon' })).status).toBe('revision_requested');
    await worker.client.jobs.deliver(id, { artifact_type: 'text', content: 'Moon pulls at the sea' });
    const done = await buyer.client.jobs.complete(id, { rating: 5, review: 'lovely' });
    expect(done).toMatchObject({ status: 'completed', rating: 5, revision_count: 1 });

    const history = await buyer.client.jobs.history(id);
    expect(JSON.stringify(history)).toContain('completed');
    // The escrow is released by the payments service, after the transition: nothing stays held.
    const buyerHeld = async () => (await buyer.client.wallet.get()).balances.find((balance) => balance.currency === 'USD')?.held;
    await expect.poll(buyerHeld, { timeout: 30_000 }).toBe('0.00');
    await expect.poll(async () => (await buyer.client.inbox.list()).messages.some((message) => message.job_id === id)).toBe(true);
  });

  it('iterates a list across pages by next_cursor, and gives one page on request', async () => {
    const seller = await fundedAgent('SDK Catalog', ['poetry']);
    const published = await Promise.all([1, 2, 3, 4, 5].map((n) => seller.client.services.publish({ ...haiku, name: `Haiku ${n}` })));
    const list = seller.client.services.list({ agent_id: seller.id, limit: 2 });
    const page = await list.page();
    expect(page.data).toHaveLength(2);
    expect(page.next_cursor).toEqual(expect.any(String));
    const pages = [];
    for await (const each of list.pages()) pages.push(each);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    for await (const service of list) seen.push(service.id);
    expect(seen.sort()).toEqual(published.map((service) => service.id).sort());
  });

  it('throws typed errors carrying the API error code and details', async () => {
    const agent = await fundedAgent('SDK Errors');
    const invalid = await agent.client.jobs.hire({ service_id: 'not-a-uuid', input_data: {} }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed', requestId: expect.any(String) });
    expect(JSON.stringify((invalid as ValidationError).details)).toContain('service_id');

    await expect(agent.client.jobs.get(randomUUID())).rejects.toBeInstanceOf(NotFoundError);

    const worker = await fundedAgent('SDK Errors Worker', ['poetry']);
    const service = await worker.client.services.publish(haiku);
    const job = await agent.client.jobs.hire({ service_id: service.id, input_data: { topic: 'x' } });
    const refused = await agent.client.jobs.complete(job.id, { rating: 5 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ status: 409, code: 'invalid_transition', details: { from: 'pending' } });
  });
});

describe('webhooks', () => {
  it('manages an endpoint whose signed deliveries verifyWebhook accepts, before and across a secret rotation', async () => {
    const deliveries: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        deliveries.push({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const owner = await fundedAgent('SDK Hooks');
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      // A test event goes to the endpoint whatever types it follows.
      const hook = await owner.client.webhooks.create({ url, event_types: ['job_created'] });
      expect(hook.secret).toMatch(/^whsec_/);
      expect((await owner.client.webhooks.list().toArray()).map((each) => each.id)).toContain(hook.id);

      await owner.client.webhooks.test(hook.id);
      await expect.poll(() => deliveries.length, { timeout: 30_000 }).toBe(1);
      const first = deliveries[0]!;
      expect(verifyWebhook(hook.secret, first.headers, first.body)).toMatchObject({ type: 'webhook_test' });
      await expect.poll(async () => (await owner.client.webhooks.deliveries(hook.id).page()).data.map((delivery) => delivery.status), { timeout: 30_000 }).toEqual(['delivered']);

      const rotated = await owner.client.webhooks.rotateSecret(hook.id);
      await owner.client.webhooks.test(hook.id);
      await expect.poll(() => deliveries.length, { timeout: 30_000 }).toBe(2);
      const second = deliveries[1]!;
      // Signed with the new secret and, during the rotation's grace period, the old one too: two v1 signatures.
      expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verifyWebhook(rotated.secret, second.headers, second.body)).toMatchObject({ type: 'webhook_test' });
      expect(verifyWebhook(hook.secret, second.headers, second.body)).toMatchObject({ type: 'webhook_test' });
      expect(() => verifyWebhook(`whsec_${Buffer.from(randomUUID()).toString('base64')}`, second.headers, second.body)).toThrow(WebhookVerificationError);
      expect(() => verifyWebhook(rotated.secret, second.headers, Buffer.concat([second.body, Buffer.from(' ')]))).toThrow(WebhookVerificationError);

      await owner.client.webhooks.delete(hook.id);
      await expect(owner.client.webhooks.get(hook.id)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe('the resumable event subscription', () => {
  it('loses and repeats no event when its connection is cut mid-stream, again and again', async () => {
    const proxy = await TcpProxy.start(new URL(market.stack.gatewayUrl));
    const stop = new AbortController();
    const reconnects: unknown[] = [];
    try {
      const viaProxy = new AgentMarket({ baseUrl: proxy.url });
      // From the start of the stream, so that nothing before the first connection is missed either.
      const subscription = viaProxy.events.subscribe({ types: ['agent_registered'], since: '0', signal: stop.signal, minReconnectMs: 50, onReconnect: (info) => reconnects.push(info.error) });
      const received: MarketEvent[] = [];
      const reading = (async () => {
        for await (const event of subscription) received.push(event);
      })();

      const names = Array.from({ length: 15 }, (_, n) => `Feed ${n}`);
      const registeredIds: string[] = [];
      const receivedIds = () => received.map((event) => event.data.aggregate_id);
      const registering = (async () => {
        for (const name of names) registeredIds.push((await anonymous().agents.register({ name, capabilities: [] })).agent_id);
      })();
      // Cut while registrations keep coming: after the 3rd and the 8th of ours has arrived, each time on a connection
      // the subscription opened after the last cut (a cut socket stays in the proxy's set until it has closed, and
      // events that were already read arrive before the end of the stream: counting alone could cut the old one twice).
      for (const [cuts, after] of [3, 8].entries()) {
        await expect.poll(() => receivedIds().filter((id) => registeredIds.includes(id!)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(after);
        await expect.poll(() => proxy.connections, { timeout: 30_000 }).toBeGreaterThan(cuts);
        expect(proxy.cut()).toBeGreaterThan(0);
      }
      await registering;
      await expect.poll(() => registeredIds.every((id) => receivedIds().includes(id)), { timeout: 30_000 }).toBe(true);

      const ours = received.filter((event) => registeredIds.includes(event.data.aggregate_id!));
      expect(ours.map((event) => event.data.aggregate_id)).toEqual(registeredIds);
      const positions = received.map((event) => Number(event.id));
      expect(new Set(positions).size).toBe(positions.length);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(reconnects.length).toBeGreaterThanOrEqual(2);
      expect(proxy.connections).toBeGreaterThanOrEqual(3);
      expect(subscription.lastEventId).toBe(received.at(-1)?.id);
      stop.abort();
      await reading;
    } finally {
      stop.abort();
      await proxy.stop();
    }
  });
});

describe('the agentmarket CLI', () => {
  it('drives a whole job between two agents from a shell script, with exit codes scripts can use', async () => {
    const script = path.join(import.meta.dirname, 'cli-job.sh');
    // The CLI runs on the Node that runs this test (24), found first on the PATH.
    const env = { ...process.env, AGENTMARKET_BASE_URL: market.stack.gatewayUrl, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` };
    const { stdout } = await promisify(execFile)('bash', [script], { env, timeout: 90_000 }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`cli-job.sh failed:\n${error.stderr ?? ''}\n${error.stdout ?? ''}`);
    });
    const final = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(final).toMatchObject({ job_status: 'completed', client_usd_held: '0.00', worker_usd_before: (Number(TEST_STACK_ENV.STARTER_GRANT_USD_CENTS) / 100).toFixed(2) });
    // Paid the price, less the platform fee.
    const earned = Number(final.worker_usd) - Number(final.worker_usd_before);
    expect(earned).toBeGreaterThan(0);
    expect(earned).toBeLessThanOrEqual(2.5);
  });
});
