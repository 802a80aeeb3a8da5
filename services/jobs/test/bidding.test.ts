import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseTestClient, aFundedClient, aRegisteredAgent, aService, eventually, useTestStack, type TestAgent } from '@agentmarket/testing';

/**
 * Bidding on open tasks through the gateway on a whole market: agents bid
 * their services within the budget, the poster accepts one (or the closing
 * loop hires the best-scored with auto_accept, or the task expires), and
 * every step is one event and one inbox message; one hold, at the bid's price.
 */
const market = useTestStack({ env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } });
const { api } = market;
let db: pg.Client | undefined;

beforeAll(async () => {
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

const sql = async <T extends pg.QueryResultRow>(text: string, params: unknown[]) => {
  if (!db) throw new Error('no database connection yet');
  return (await db.query<T>(text, params)).rows;
};

const translation = { capabilities_required: ['translation'], required_inputs: [], price_usd: '20.00' };

async function aBiddingTask(poster: TestAgent, overrides: Record<string, unknown> = {}) {
  const response = await api('POST', '/api/tasks', {
    key: poster.key,
    body: {
      title: 'Translate the manual',
      description: 'Into French, 20 pages',
      capabilities_required: ['translation'],
      complexity: 3,
      budget_usd: '30.00',
      input_data: { pages: 20 },
      mode: 'bidding',
      bidding_seconds: 3600,
      ...overrides,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { task_id: string; status: string; mode: string; closes_at: string; job: unknown };
}

async function aBidder() {
  const agent = await aRegisteredAgent(api);
  const service = await aService(api, agent, translation);
  return { agent, service };
}

const bid = (bidder: TestAgent, taskId: string, body: Record<string, unknown>) => api('POST', `/api/tasks/${taskId}/bids`, { key: bidder.key, body });

const inboxTypes = async (party: TestAgent) =>
  ((await api('GET', '/api/inbox', { key: party.key })).body.messages as { message_type: string; content: Record<string, unknown> }[]).map((m) => ({
    type: m.message_type,
    task_id: m.content.task_id,
  }));

/** Closes the task now, as if its time had come: the closing loop does the rest. */
const closeNow = (taskId: string) => sql(`update jobs.tasks set closes_at = now() where id = $1`, [taskId]);

describe('bidding on open tasks', () => {
  it('takes ten concurrent bids; accepting one hires it at its price with one hold and rejects the nine others, each told in its inbox', async () => {
    const poster = await aFundedClient(api, { usd: '100.00' });
    const task = await aBiddingTask(poster);
    expect(task).toMatchObject({ status: 'open', mode: 'bidding', job: null });
    expect(new Date(task.closes_at).getTime()).toBeGreaterThan(Date.now() + 3_000_000);

    const bidders = await Promise.all(Array.from({ length: 10 }, () => aBidder()));
    const placed = await Promise.all(
      bidders.map(({ agent, service }, index) => bid(agent, task.task_id, { service_id: service.id, price_usd: `${20 + index}.00`, eta_minutes: 60, note: `bid ${index}` })),
    );
    expect(placed.map((response) => response.status)).toEqual(Array(10).fill(201));
    const bids = placed.map((response) => response.body as { id: string; status: string; price_usd: string; score: number | null });
    expect(bids.every((b) => b.status === 'active' && b.score === null)).toBe(true);

    // The poster sees all ten, scored; a bidder sees only its own; the listing shows the count but never the inputs.
    const all = await api('GET', `/api/tasks/${task.task_id}/bids?limit=100`, { key: poster.key });
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(10);
    expect((all.body.data as { score: number | null }[]).every((b) => typeof b.score === 'number')).toBe(true);
    const own = await api('GET', `/api/tasks/${task.task_id}/bids`, { key: bidders[3]!.agent.key });
    expect((own.body.data as { id: string }[]).map((b) => b.id)).toEqual([bids[3]!.id]);
    const listed = await api('GET', '/api/tasks?status=open&capability=translation', { key: bidders[0]!.agent.key });
    const shown = (listed.body.data as { task_id: string; bid_count: number; input_data: unknown }[]).find((t) => t.task_id === task.task_id);
    expect(shown).toMatchObject({ bid_count: 10, input_data: null });

    const chosen = bids[4]!;
    const accepted = await api('POST', `/api/tasks/${task.task_id}/bids/${chosen.id}/accept`, { key: poster.key });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.task).toMatchObject({ status: 'assigned', bid_count: 0 });
    expect(accepted.body.job).toMatchObject({ worker_agent_id: bidders[4]!.agent.id, price_usd: '24.00', status: 'pending' });
    // Accepting again answers with the same job; another bid can no longer be accepted.
    const again = await api('POST', `/api/tasks/${task.task_id}/bids/${chosen.id}/accept`, { key: poster.key });
    expect(again.body.job?.id).toBe(accepted.body.job.id);
    expect((await api('POST', `/api/tasks/${task.task_id}/bids/${bids[0]!.id}/accept`, { key: poster.key })).status).toBe(409);

    const holds = await sql<{ amount: string }>(`select amount::text from payments.holds where hold_id = $1`, [accepted.body.job.id]);
    expect(holds).toEqual([{ amount: '2400' }]);
    const jobsOfTask = await sql<{ n: number }>(`select count(*)::int as n from jobs.jobs where client_agent_id = $1`, [poster.id]);
    expect(jobsOfTask[0]!.n).toBe(1);

    const statuses = await api('GET', `/api/tasks/${task.task_id}/bids?limit=100`, { key: poster.key });
    const byStatus = (statuses.body.data as { status: string }[]).reduce<Record<string, number>>((count, b) => ({ ...count, [b.status]: (count[b.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ accepted: 1, rejected: 9 });

    // Inboxes: the winner hears it was accepted, each loser that it was not, the poster of each bid.
    await expect.poll(async () => (await inboxTypes(bidders[4]!.agent)).filter((m) => m.type === 'bid_accepted').length, { timeout: 20_000 }).toBe(1);
    for (const loser of bidders.filter((_b, index) => index !== 4)) {
      await expect.poll(async () => (await inboxTypes(loser.agent)).filter((m) => m.type === 'bid_rejected' && m.task_id === task.task_id).length, { timeout: 20_000 }).toBe(1);
    }
    await expect.poll(async () => (await inboxTypes(poster)).filter((m) => m.type === 'bid_placed').length, { timeout: 20_000 }).toBe(10);
    // The worker sees the whole task now that it is hired, inputs included.
    const asWorker = await api('GET', `/api/tasks/${task.task_id}`, { key: bidders[4]!.agent.key });
    expect(asWorker.body).toMatchObject({ status: 'assigned', input_data: { pages: 20 } });
  });

  it('keeps one active bid per agent: a new bid replaces the last, and a withdrawn bid is gone', async () => {
    const poster = await aFundedClient(api, { usd: '50.00' });
    // Bid events are the poster's and the bidder's only; the posted task is news for everyone.
    const posterFeed = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events`, { 'x-agent-key': poster.key });
    const publicFeed = await SseTestClient.connect(`${market.stack.gatewayUrl}/api/events`);
    const task = await aBiddingTask(poster);
    const { agent, service } = await aBidder();
    const first = await bid(agent, task.task_id, { service_id: service.id, price_usd: '25.00' });
    const second = await bid(agent, task.task_id, { service_id: service.id, price_usd: '22.00' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const mine = (await api('GET', `/api/tasks/${task.task_id}/bids`, { key: agent.key })).body.data as { id: string; status: string }[];
    expect(mine.map((b) => [b.id, b.status])).toEqual([
      [first.body.id, 'replaced'],
      [second.body.id, 'active'],
    ]);
    expect((await api('GET', `/api/tasks/${task.task_id}`, { key: agent.key })).body).toMatchObject({ bid_count: 1, input_data: null, job: null });

    const withdrawn = await api('DELETE', `/api/tasks/${task.task_id}/bids/${second.body.id}`, { key: agent.key });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await api('DELETE', `/api/tasks/${task.task_id}/bids/${second.body.id}`, { key: agent.key })).status).toBe(409);
    expect((await api('POST', `/api/tasks/${task.task_id}/bids/${second.body.id}/accept`, { key: poster.key })).status).toBe(409);
    await expect.poll(async () => (await inboxTypes(poster)).filter((m) => m.type === 'bid_withdrawn').length, { timeout: 20_000 }).toBe(1);
    const ofTask = (feed: SseTestClient) => feed.events.filter((event) => event.data?.data?.task_id === task.task_id).map((event) => event.event);
    await expect.poll(() => ofTask(posterFeed), { timeout: 20_000 }).toEqual(['task_posted', 'bid_placed', 'bid_placed', 'bid_withdrawn']);
    expect(ofTask(publicFeed)).toEqual(['task_posted']);
    expect(publicFeed.events.find((event) => event.event === 'task_posted')?.data.data.input_data).toBeUndefined();
    posterFeed.close();
    publicFeed.close();
  });

  it('refuses bids that do not fit, and acceptances by anyone but the poster', async () => {
    const poster = await aFundedClient(api, { usd: '50.00' });
    const task = await aBiddingTask(poster);
    const { agent, service } = await aBidder();
    const stranger = await aRegisteredAgent(api);
    const lacking = await aService(api, agent, { ...translation, capabilities_required: ['writing'] });
    const inSats = await aService(api, agent, { capabilities_required: ['translation'], required_inputs: [], price_usd: undefined, price_sats: 1000 });

    expect((await bid(agent, task.task_id, { service_id: service.id, price_usd: '30.01' })).status).toBe(400);
    expect((await bid(agent, task.task_id, { service_id: inSats.id, price_sats: 500 })).status).toBe(400);
    expect((await bid(agent, task.task_id, { service_id: lacking.id, price_usd: '10.00' })).status).toBe(400);
    expect((await bid(stranger, task.task_id, { service_id: service.id, price_usd: '10.00' })).status).toBe(403);
    expect((await bid(agent, task.task_id, { service_id: service.id, price_usd: '10.00', price_sats: 5 })).status).toBe(400);
    expect((await bid(agent, '00000000-0000-7000-8000-000000000000', { service_id: service.id, price_usd: '10.00' })).status).toBe(404);
    expect((await api('POST', '/api/tasks', { key: poster.key, body: { title: 't', description: 'd', capabilities_required: ['x'], complexity: 1, budget_usd: '1.00', mode: 'bidding' } })).status).toBe(400);
    // None of the refused bids changed anything.
    expect((await api('GET', `/api/tasks/${task.task_id}`, { key: poster.key })).body.bid_count).toBe(0);

    const placed = await bid(agent, task.task_id, { service_id: service.id, price_usd: '10.00' });
    expect(placed.status).toBe(201);
    expect((await api('POST', `/api/tasks/${task.task_id}/bids/${placed.body.id}/accept`, { key: stranger.key })).status).toBe(404);
    expect((await api('POST', `/api/tasks/${task.task_id}/bids/${placed.body.id}/accept`, { key: agent.key })).status).toBe(404);
    expect((await api('GET', `/api/tasks/${task.task_id}/bids`, { key: stranger.key })).body.data).toEqual([]);
  });

  it('at closing time, auto_accept hires the best-scored bid; without it the task expires and nothing is charged', async () => {
    const poster = await aFundedClient(api, { usd: '100.00' });
    const auto = await aBiddingTask(poster, { auto_accept: true });
    const plain = await aBiddingTask(poster);
    const [dear, cheap, other] = await Promise.all([aBidder(), aBidder(), aBidder()]);
    // Equal bidders but for the price: the cheaper bid fits the budget better, so it scores higher, though it came second.
    expect((await bid(dear!.agent, auto.task_id, { service_id: dear!.service.id, price_usd: '28.00' })).status).toBe(201);
    const cheapBid = await bid(cheap!.agent, auto.task_id, { service_id: cheap!.service.id, price_usd: '12.00' });
    expect(cheapBid.status).toBe(201);
    expect((await bid(other!.agent, plain.task_id, { service_id: other!.service.id, price_usd: '15.00' })).status).toBe(201);

    await closeNow(auto.task_id);
    await closeNow(plain.task_id);
    const closed = await eventually(
      () => api('GET', `/api/tasks/${auto.task_id}`, { key: poster.key }),
      (response) => response.body.status !== 'open',
    );
    expect(closed.body).toMatchObject({ status: 'assigned', job: { worker_agent_id: cheap!.agent.id, price_usd: '12.00' } });
    const expired = await eventually(
      () => api('GET', `/api/tasks/${plain.task_id}`, { key: poster.key }),
      (response) => response.body.status !== 'open',
    );
    expect(expired.body).toMatchObject({ status: 'expired', job: null });
    expect((await bid(other!.agent, plain.task_id, { service_id: other!.service.id, price_usd: '14.00' })).status).toBe(409);

    // One hold in all: the auto-accepted job's, at its bid's price.
    const holds = await sql<{ amount: string }>(`select h.amount::text from payments.holds h join jobs.jobs j on j.id = h.hold_id where j.client_agent_id = $1`, [poster.id]);
    expect(holds).toEqual([{ amount: '1200' }]);
    await expect.poll(async () => (await inboxTypes(poster)).filter((m) => m.type === 'task_expired' && m.task_id === plain.task_id).length, { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await inboxTypes(other!.agent)).filter((m) => m.type === 'bid_rejected').length, { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await inboxTypes(dear!.agent)).filter((m) => m.type === 'bid_rejected').length, { timeout: 20_000 }).toBe(1);
    const expiredListing = await api('GET', '/api/tasks?status=expired', { key: other!.agent.key });
    expect((expiredListing.body.data as { task_id: string }[]).map((t) => t.task_id)).toContain(plain.task_id);
  });
});
