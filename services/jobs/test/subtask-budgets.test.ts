import { describe, expect, it } from 'vitest';
import { aFundedClient, aRegisteredAgent, aService, jobAction, useTestStack, ledgerProblemsIn, type TestAgent } from '@agentmarket/testing';

/**
 * Budgets for task trees on a whole market: a root job hired with a
 * subtask budget, its worker hiring a sub-job paid from it (with a budget
 * of its own), and that sub-job's worker hiring grandchildren concurrently
 * from the sub-job's budget: exactly the budget is spent, the rest are 402
 * `budget_exhausted`, and what is left flows back up when each job ends.
 */
const market = useTestStack({ env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } });
const { api } = market;

const usd = async (agent: TestAgent) => {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  const balance = (wallet.body.balances as { currency: string; available: string; held: string }[]).find((b) => b.currency === 'USD');
  return { available: balance?.available ?? '0.00', held: balance?.held ?? '0.00' };
};
const hire = (client: TestAgent, body: Record<string, unknown>) => api('POST', '/api/jobs', { key: client.key, body: { input_data: { text: 'go' }, ...body } });
type TreeNode = { job: { id: string }; subtask_budget: string | null; subtask_spent: string | null; subtask_remaining: string | null; children: TreeNode[] };
const tree = async (viewer: TestAgent, jobId: string) => (await api('GET', `/api/jobs/${jobId}/tree`, { key: viewer.key })).body as TreeNode;
const budgetOf = (node: TreeNode) => [node.subtask_budget, node.subtask_spent, node.subtask_remaining];

async function finish(client: TestAgent, worker: TestAgent, jobId: string) {
  expect((await jobAction(api, worker, jobId, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, jobId, 'deliver', { artifact_type: 'text', content: 'done' })).status).toBe(200);
  expect((await jobAction(api, client, jobId, 'complete', { rating: 5 })).status).toBe(200);
}

describe('subtask budgets', () => {
  it('pays a three-level tree from the root’s budget, never overdrawn under concurrent hires, and returns what is left', async () => {
    const client = await aFundedClient(api, { usd: '100.00' });
    const [rootWorker, childWorker] = await Promise.all([aRegisteredAgent(api), aRegisteredAgent(api)]);
    const rootService = await aService(api, rootWorker, { price_usd: '10.00' });
    const childService = await aService(api, childWorker, { price_usd: '10.00' });

    const root = await hire(client, { service_id: rootService.id, subtask_budget: '30.00' });
    expect(root.status, JSON.stringify(root.body)).toBe(201);
    expect(root.body).toMatchObject({ subtask_budget: '30.00', fund_from_parent: false, price_usd: '10.00' });
    // The price is held and the budget set aside: 40.00 left the wallet's available money.
    expect((await usd(client)).available).toBe('60.00');

    // Only the root's worker spends its budget, and only with a parent.
    expect((await hire(client, { service_id: childService.id, parent_job_id: root.body.id, fund_from_parent: true })).status).toBe(403);
    expect((await hire(rootWorker, { service_id: childService.id, fund_from_parent: true })).status).toBe(400);

    // The sub-job takes 10.00 for its price and 20.00 for its own budget: the root's budget is spent.
    const child = await hire(rootWorker, { service_id: childService.id, parent_job_id: root.body.id, fund_from_parent: true, subtask_budget: '20.00' });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    expect(child.body).toMatchObject({ fund_from_parent: true, subtask_budget: '20.00' });
    const over = await hire(rootWorker, { service_id: childService.id, parent_job_id: root.body.id, fund_from_parent: true });
    expect(over.status).toBe(402);
    expect(over.body.error.code).toBe('budget_exhausted');
    // The root's worker paid nothing from its own wallet.
    expect((await usd(rootWorker)).available).toBe('0.00');

    // Five grandchildren of 5.00 at once against a budget of 20.00: four are hired, one is refused.
    const leaves = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const worker = await aRegisteredAgent(api);
        return { worker, service: await aService(api, worker, { price_usd: '5.00' }) };
      }),
    );
    const attempts = await Promise.all(
      leaves.map(({ service }) => hire(childWorker, { service_id: service.id, parent_job_id: child.body.id, fund_from_parent: true })),
    );
    expect(attempts.map((response) => response.status).toSorted()).toEqual([201, 201, 201, 201, 402]);
    const hired = attempts.flatMap((response, index) => (response.status === 201 ? [{ job: response.body as { id: string }, worker: leaves[index]!.worker }] : []));

    let view = await tree(client, root.body.id);
    expect(budgetOf(view)).toEqual(['30.00', '30.00', '0.00']);
    expect(budgetOf(view.children[0]!)).toEqual(['20.00', '20.00', '0.00']);
    expect(view.children[0]!.children).toHaveLength(4);

    // One grandchild is cancelled before it starts: its 5.00 goes back into the sub-job's budget, which is still open.
    const [cancelled, ...kept] = hired;
    expect((await jobAction(api, childWorker, cancelled!.job.id, 'cancel', { reason: 'not needed' })).status).toBe(200);
    await expect.poll(async () => budgetOf((await tree(client, root.body.id)).children[0]!), { timeout: 20_000 }).toEqual(['20.00', '15.00', '5.00']);

    // The others finish; then the sub-job ends and its 5.00 goes back to the root's budget; then the root ends and it reaches the client.
    for (const leaf of kept) await finish(childWorker, leaf.worker, leaf.job.id);
    await finish(rootWorker, childWorker, child.body.id);
    await expect.poll(async () => budgetOf(await tree(client, root.body.id)), { timeout: 20_000 }).toEqual(['30.00', '25.00', '5.00']);
    await finish(client, rootWorker, root.body.id);
    await expect.poll(async () => (await usd(client)).available, { timeout: 20_000 }).toBe('65.00');
    view = await tree(client, root.body.id);
    expect(budgetOf(view)).toEqual(['30.00', '25.00', '0.00']);
    expect(budgetOf(view.children[0]!)).toEqual(['20.00', '15.00', '0.00']);
    expect((await usd(client)).held).toBe('0.00');

    // The client's statement names the budget and its return.
    const statement = await api('GET', '/api/wallet/transactions?currency=USD', { key: client.key });
    const kinds = (statement.body.data as { kind: string; amount: string }[]).map((entry) => `${entry.kind} ${entry.amount}`);
    expect(kinds).toEqual(expect.arrayContaining(['budget -30.00', 'budget_return 5.00']));

    expect(await ledgerProblemsIn(market.stack.databaseUrl)).toEqual([]);
  });
});
