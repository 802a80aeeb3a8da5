import { describe, expect, it } from 'vitest';
import { aFundedClient, aRegisteredAgent, aService, jobAction, useTestStack, ledgerProblemsIn, type TestAgent } from '@agentmarket/testing';

/**
 * Evaluators on a whole market: a hire names an agent that judges the
 * delivery instead of the client, and its fee, held with the price. The
 * evaluator completes, asks for a revision or rejects; the client is locked
 * out of those verdicts; the fee is paid on the verdict and refunded to the
 * client when the job ends any other way.
 */
const market = useTestStack({ env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' } });
const { api } = market;

const available = async (agent: TestAgent) => {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  return (wallet.body.balances as { currency: string; available: string }[]).find((b) => b.currency === 'USD')?.available ?? '0.00';
};
const inboxTypes = async (agent: TestAgent) => ((await api('GET', '/api/inbox', { key: agent.key })).body.messages as { message_type: string }[]).map((m) => m.message_type);

/** A client with 100.00, a worker with a 10.00 service, an evaluator, and a job that names it at a fee of 2.00. */
async function anEvaluatedJob() {
  const client = await aFundedClient(api, { usd: '100.00' });
  const [worker, evaluator] = await Promise.all([aRegisteredAgent(api), aRegisteredAgent(api)]);
  const service = await aService(api, worker, { price_usd: '10.00' });
  const hired = await api('POST', '/api/jobs', {
    key: client.key,
    body: { service_id: service.id, input_data: { text: 'judge me' }, evaluator_agent_id: evaluator.id, evaluator_fee: '2.00' },
  });
  expect(hired.status, JSON.stringify(hired.body)).toBe(201);
  return { client, worker, evaluator, service, job: hired.body as { id: string } };
}

async function deliver(worker: TestAgent, jobId: string, content = 'the work') {
  expect((await jobAction(api, worker, jobId, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, jobId, 'deliver', { artifact_type: 'text', content })).status).toBe(200);
}

describe('evaluators', () => {
  it('judges in the client’s stead: asks for a revision, completes, and is paid its fee on the verdict', async () => {
    const { client, worker, evaluator, job } = await anEvaluatedJob();
    expect((await api('GET', `/api/jobs/${job.id}`, { key: client.key })).body).toMatchObject({ evaluator_agent_id: evaluator.id, evaluator_fee: '2.00' });
    // The price and the fee are both held.
    expect(await available(client)).toBe('88.00');

    await deliver(worker, job.id);
    // The evaluator hears of the delivery and sees it.
    await expect.poll(() => inboxTypes(evaluator), { timeout: 20_000 }).toContain('job_delivered');
    const seen = await api('GET', `/api/jobs/${job.id}`, { key: evaluator.key });
    expect(seen.status).toBe(200);
    expect(seen.body.deliverables).toHaveLength(1);

    // The client's own verdicts are refused, saying why.
    const locked = await jobAction(api, client, job.id, 'complete', { rating: 5 });
    expect(locked.status).toBe(403);
    expect(locked.body.error.details.reason).toBe('evaluator_decides');
    expect((await jobAction(api, client, job.id, 'request-revision', { feedback: 'more' })).status).toBe(403);
    // The worker cannot judge its own work either.
    expect((await jobAction(api, worker, job.id, 'complete', { rating: 5 })).status).toBe(403);

    expect((await jobAction(api, evaluator, job.id, 'request-revision', { feedback: 'cite sources' })).status).toBe(200);
    expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'with sources' })).status).toBe(200);
    const completed = await jobAction(api, evaluator, job.id, 'complete', { rating: 4 });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', rating: 4 });

    // Worker: 10.00 less 2.5 %; evaluator: 2.00 less 2.5 %; the client spent exactly price and fee.
    await expect.poll(() => available(worker), { timeout: 20_000 }).toBe('9.75');
    await expect.poll(() => available(evaluator), { timeout: 20_000 }).toBe('1.95');
    expect(await available(client)).toBe('88.00');
  });

  it('rejects: the job fails, the client gets the price back and the evaluator its fee', async () => {
    const { client, worker, evaluator, job } = await anEvaluatedJob();
    await deliver(worker, job.id, 'not good');
    expect((await jobAction(api, evaluator, job.id, 'reject', {})).status).toBe(400);
    const rejected = await jobAction(api, evaluator, job.id, 'reject', { reason: 'misses the brief' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('failed');
    await expect.poll(() => available(client), { timeout: 20_000 }).toBe('98.00');
    await expect.poll(() => available(evaluator), { timeout: 20_000 }).toBe('1.95');
    expect(await available(worker)).toBe('0.00');
    await expect.poll(() => inboxTypes(client), { timeout: 20_000 }).toContain('job_failed');
    // The failure counts on the worker's record.
    await expect.poll(async () => (await api('GET', `/api/agents/${worker.id}`)).body.success_rate, { timeout: 20_000 }).toBe(0);
  });

  it('refunds the fee when the job ends without a verdict (cancelled before it started)', async () => {
    const { client, evaluator, job } = await anEvaluatedJob();
    expect((await jobAction(api, client, job.id, 'cancel', {})).status).toBe(200);
    await expect.poll(() => available(client), { timeout: 20_000 }).toBe('100.00');
    expect(await available(evaluator)).toBe('0.00');
    // Only the verdicts are the evaluator's: it cannot cancel, start or reject a job that is not delivered.
    expect((await jobAction(api, evaluator, job.id, 'reject', { reason: 'x' })).status).toBe(409);
  });

  it('refuses an evaluator that is a party, unknown, or without its fee, and holds nothing', async () => {
    const client = await aFundedClient(api, { usd: '20.00' });
    const worker = await aRegisteredAgent(api);
    const service = await aService(api, worker, { price_usd: '10.00' });
    const hire = (extra: Record<string, unknown>) => api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'x' }, ...extra } });
    expect((await hire({ evaluator_agent_id: worker.id, evaluator_fee: '1.00' })).status).toBe(400);
    expect((await hire({ evaluator_agent_id: client.id, evaluator_fee: '1.00' })).status).toBe(400);
    expect((await hire({ evaluator_agent_id: '00000000-0000-7000-8000-000000000000', evaluator_fee: '1.00' })).status).toBe(400);
    expect((await hire({ evaluator_agent_id: worker.id })).status).toBe(400);
    expect((await hire({ evaluator_fee: '1.00' })).status).toBe(400);
    // Price and fee must both be covered: 10.00 + 11.00 > 20.00.
    const evaluator = await aRegisteredAgent(api);
    const broke = await hire({ evaluator_agent_id: evaluator.id, evaluator_fee: '11.00' });
    expect(broke.status).toBe(402);
    expect(await available(client)).toBe('20.00');

    expect(await ledgerProblemsIn(market.stack.databaseUrl)).toEqual([]);
  });
});
