import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centsToUsd } from '@agentmarket/contracts';
import { TEST_ADMIN_KEY, aFundedClient, aService, aRegisteredAgent, eventually, hireService, jobAction, useTestStack, ledgerProblemsIn, type TestAgent } from '@agentmarket/testing';

/**
 * The dispute ladder through the gateway on a whole market: the worker of a
 * disputed job answers once (accept a refund, propose a split, contest), the
 * client may accept a proposed split, an unanswered dispute refunds the
 * client when the response window passes, and a contested one waits in the
 * admins' queue. Every step is a history row, an event, an inbox message and
 * an activity row; the money follows job_resolved.
 */
// Long enough for a worker's immediate answer to beat it, short enough for a test to see it pass.
const RESPONSE_WINDOW_SECONDS = 6;
const PRICE_CENTS = 1000;

const market = useTestStack({
  env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' },
  envFor: { jobs: { DISPUTE_RESPONSE_WINDOW_SECONDS: String(RESPONSE_WINDOW_SECONDS), TIMER_POLL_MS: '100' } },
});
const { api } = market;
const admin = { headers: { 'x-admin-key': TEST_ADMIN_KEY } };

let stranger: TestAgent;
let db: pg.Client | undefined;

beforeAll(async () => {
  stranger = await aRegisteredAgent(api);
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

interface DisputeView {
  status: string;
  reason: string;
  respond_by: string;
  response: { action: string; worker_share_pct: number | null; note: string } | null;
  proposal: { worker_share_pct: number } | null;
}
interface JobBody {
  id: string;
  status: string;
  dispute: DisputeView | null;
}

/** A 10.00 USD job of a fresh worker, delivered and disputed by a client funded with exactly 100.00 USD. */
async function aDisputedJob() {
  const worker = await aRegisteredAgent(api);
  const client = await aFundedClient(api, { usd: '100.00' });
  const service = await aService(api, worker);
  const job = await hireService(api, client, service.id);
  expect((await jobAction(api, worker, job.id, 'start')).status).toBe(200);
  expect((await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'a summary' })).status).toBe(200);
  const disputed = await jobAction(api, client, job.id, 'dispute', { reason: 'it summarises another text' });
  expect(disputed.status).toBe(200);
  return { worker, client, job: disputed.body as JobBody };
}

const usd = async (agent: TestAgent) => {
  const wallet = await api('GET', '/api/wallet', { key: agent.key });
  const balance = (wallet.body.balances as { currency: string; available: string; held: string }[]).find((entry) => entry.currency === 'USD');
  return { available: balance?.available ?? '0.00', held: balance?.held ?? '0.00' };
};
const inbox = async (jobId: string, agent: TestAgent) =>
  (await api('GET', `/api/inbox?job_id=${jobId}`, { key: agent.key })).body.messages as { message_type: string; content: Record<string, unknown> }[];
const inboxMessage = async (jobId: string, agent: TestAgent, type: string) =>
  (await eventually(() => inbox(jobId, agent), (messages) => messages.some((message) => message.message_type === type))).find((message) => message.message_type === type);
const history = async (jobId: string, agent: TestAgent) =>
  (await api('GET', `/api/jobs/${jobId}/history`, { key: agent.key })).body.data as { event: string; from: string; to: string; details: Record<string, unknown> }[];
const activityTypes = async (jobId: string, type: string) =>
  (
    await eventually(
      async () => (await api('GET', `/api/activity?job_id=${jobId}`)).body.data as { type: string }[],
      (entries) => entries.some((entry) => entry.type === type),
    )
  ).map((entry) => entry.type);
const disputeQueue = async () => {
  const page = await api('GET', '/api/admin/disputes?limit=100', admin);
  expect(page.status).toBe(200);
  return page.body.data as JobBody[];
};
const timerKinds = async (jobId: string) => (await db!.query<{ kind: string }>('select kind from jobs.timers where job_id = $1', [jobId])).rows.map((row) => row.kind);


describe('dispute ladder', () => {
  it('a dispute opens the response window: the job shows it, and its timer replaces auto-complete', async () => {
    const { worker, job } = await aDisputedJob();
    expect(job.dispute).toMatchObject({ status: 'awaiting_response', reason: 'it summarises another text', response: null, proposal: null });
    expect(Date.parse(job.dispute!.respond_by)).toBeGreaterThan(Date.now());
    expect(await timerKinds(job.id)).toEqual(['dispute_response']);
    const told = await inboxMessage(job.id, worker, 'job_disputed');
    expect(told?.content).toMatchObject({ reason: 'it summarises another text' });
    // Answered at once, so that the short window of this stack never refunds it.
    expect((await jobAction(api, worker, job.id, 'dispute-response', { action: 'contest', note: 'it is the right text' })).status).toBe(200);
    expect(await timerKinds(job.id)).toEqual([]);
  });

  it('the worker accepts a refund: the job is resolved and the client gets every cent back', async () => {
    const { worker, client, job } = await aDisputedJob();
    const answered = await jobAction(api, worker, job.id, 'dispute-response', { action: 'accept_refund', note: 'fair enough, sorry' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      status: 'resolved',
      dispute: { status: 'resolved', response: { action: 'accept_refund', worker_share_pct: null, note: 'fair enough, sorry' }, proposal: null },
    });
    expect((await history(job.id, client)).at(-1)).toMatchObject({
      from: 'disputed',
      to: 'resolved',
      event: 'respond_dispute',
      details: { worker_share_pct: 0, resolution: 'refund_accepted' },
    });

    expect(await eventually(() => usd(client), (balance) => balance.held === '0.00')).toEqual({ available: '100.00', held: '0.00' });
    expect(await usd(worker)).toEqual({ available: '0.00', held: '0.00' });

    const clientMessage = await inboxMessage(job.id, client, 'job_resolved');
    expect(clientMessage?.content).toMatchObject({ worker_share_pct: 0, resolution: 'refund_accepted', note: 'fair enough, sorry' });
    expect(await inboxMessage(job.id, worker, 'job_disputed')).toBeDefined();
    expect(await activityTypes(job.id, 'job_resolved')).toContain('job_disputed');
  });

  it('the worker proposes a split and the client accepts it: the worker is paid its share less the fee', async () => {
    const { worker, client, job } = await aDisputedJob();
    const proposed = await jobAction(api, worker, job.id, 'dispute-response', { action: 'propose_split', worker_share_pct: 60, note: 'most of it is right' });
    expect(proposed.status).toBe(200);
    expect(proposed.body).toMatchObject({
      status: 'disputed',
      dispute: { status: 'split_proposed', response: { action: 'propose_split', worker_share_pct: 60 }, proposal: { worker_share_pct: 60 } },
    });
    const offer = await inboxMessage(job.id, client, 'dispute_responded');
    expect(offer?.content).toMatchObject({ action: 'propose_split', worker_share_pct: 60, note: 'most of it is right' });
    expect(await activityTypes(job.id, 'dispute_responded')).toContain('job_disputed');

    // Only the client accepts, and only once.
    expect((await jobAction(api, worker, job.id, 'accept-proposal')).status).toBe(403);
    const accepted = await jobAction(api, client, job.id, 'accept-proposal');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'resolved', dispute: { status: 'resolved', proposal: null } });
    expect((await jobAction(api, client, job.id, 'accept-proposal')).status).toBe(409);
    expect((await history(job.id, client)).slice(-2).map((entry) => [entry.from, entry.to, entry.event])).toEqual([
      ['disputed', 'disputed', 'respond_dispute'],
      ['disputed', 'resolved', 'accept_proposal'],
    ]);

    // 60 % of 10.00 is 6.00 for the worker, less the default 2.5 % fee (0.15; the harness has no minimum fee); 4.00 back to the client.
    const split = { workerAmount: 585, clientAmount: 400 };
    expect(await eventually(() => usd(worker), (balance) => balance.available !== '0.00')).toEqual({ available: centsToUsd(split.workerAmount), held: '0.00' });
    expect(await usd(client)).toEqual({ available: centsToUsd(10_000 - PRICE_CENTS + split.clientAmount), held: '0.00' });
    const workerMessage = await inboxMessage(job.id, worker, 'job_resolved');
    expect(workerMessage?.content).toMatchObject({ worker_share_pct: 60, resolution: 'proposal_accepted' });
  });

  it('a contested dispute waits in the admins’ queue, oldest first, until an admin resolves it', async () => {
    const contestedJob = async () => {
      const disputed = await aDisputedJob();
      const contested = await jobAction(api, disputed.worker, disputed.job.id, 'dispute-response', { action: 'contest', note: 'the delivery matches the brief' });
      expect(contested.status).toBe(200);
      return disputed;
    };
    const first = await contestedJob();
    const second = await contestedJob();
    // No proposal to accept: the client waits for the admin too.
    const none = await jobAction(api, first.client, first.job.id, 'accept-proposal');
    expect(none.status).toBe(409);
    expect(none.body.error).toMatchObject({ code: 'invalid_transition', details: { reason: 'no_pending_proposal' } });
    const told = await inboxMessage(first.job.id, first.client, 'dispute_responded');
    expect(told?.content).toMatchObject({ action: 'contest', note: 'the delivery matches the brief' });

    const queue = await disputeQueue();
    const ids = queue.map((entry) => entry.id);
    expect(ids.indexOf(first.job.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.job.id)).toBeLessThan(ids.indexOf(second.job.id));
    expect(queue.find((entry) => entry.id === first.job.id)).toMatchObject({
      status: 'disputed',
      dispute: { status: 'contested', reason: 'it summarises another text', response: { action: 'contest' } },
    });
    expect(queue.every((entry) => entry.status === 'disputed')).toBe(true);
    expect(queue[0]).not.toHaveProperty('input_data');
    expect((await api('GET', '/api/admin/disputes', { key: first.client.key })).status).toBe(403);
    const paged = await api('GET', '/api/admin/disputes?limit=1', admin);
    expect(paged.body).toMatchObject({ data: [{ id: ids[0] }] });
    const next = await api('GET', `/api/admin/disputes?limit=1&cursor=${paged.body.next_cursor as string}`, admin);
    expect(next.body).toMatchObject({ data: [{ id: ids[1] }] });

    const resolved = await api('POST', `/api/jobs/${first.job.id}/resolve`, { ...admin, body: { worker_share_pct: 30, note: 'partly right' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', dispute: { status: 'resolved' } });
    expect((await disputeQueue()).map((entry) => entry.id)).not.toContain(first.job.id);
    // 30 % of 10.00 is 3.00 for the worker, less the 2.5 % fee rounded down (0.07).
    const split = { workerAmount: 293 };
    expect(await eventually(() => usd(first.worker), (balance) => balance.available !== '0.00')).toEqual({ available: centsToUsd(split.workerAmount), held: '0.00' });

    // An admin may decide before the worker answers: the response window ends with the dispute.
    const unanswered = await aDisputedJob();
    const early = await api('POST', `/api/jobs/${unanswered.job.id}/resolve`, { ...admin, body: { worker_share_pct: 100, note: 'the delivery is right' } });
    expect(early.body).toMatchObject({ status: 'resolved', dispute: { status: 'resolved', response: null } });
    expect(await timerKinds(unanswered.job.id)).toEqual([]);

    // The admin's resolutions are in the audit trail; resolutions on the ladder (the refund above) are nobody's admin act.
    const audit = await eventually(
      async () => (await api('GET', '/api/admin/audit?limit=100', admin)).body.data as { action: string; target: { id: string } | string; details: Record<string, unknown> }[],
      (entries) => JSON.stringify(entries).includes(first.job.id) && JSON.stringify(entries).includes(unanswered.job.id),
    );
    expect(audit.filter((entry) => entry.action === 'resolve')).toHaveLength(2);
  });

  it('an unanswered dispute refunds the client when the response window passes; an answered one stays', async () => {
    const contested = await aDisputedJob();
    expect((await jobAction(api, contested.worker, contested.job.id, 'dispute-response', { action: 'contest', note: 'no' })).status).toBe(200);
    const silent = await aDisputedJob();

    const refunded = await eventually(
      async () => (await api('GET', `/api/jobs/${silent.job.id}`, { key: silent.client.key })).body as JobBody,
      (job) => job.status === 'resolved',
    );
    expect(refunded.dispute).toMatchObject({ status: 'resolved', response: null });
    expect((await history(silent.job.id, silent.client)).at(-1)).toMatchObject({
      from: 'disputed',
      to: 'resolved',
      event: 'dispute_timeout',
      actor: { type: 'system' },
      details: { worker_share_pct: 0, resolution: 'response_window_passed' },
    });
    expect(await eventually(() => usd(silent.client), (balance) => balance.held === '0.00')).toEqual({ available: '100.00', held: '0.00' });
    expect(await usd(silent.worker)).toEqual({ available: '0.00', held: '0.00' });
    // The system acted: both parties hear of it.
    expect((await inboxMessage(silent.job.id, silent.client, 'job_resolved'))?.content).toMatchObject({ resolution: 'response_window_passed' });
    expect((await inboxMessage(silent.job.id, silent.worker, 'job_resolved'))?.content).toMatchObject({ worker_share_pct: 0 });

    // Disputed before the silent one, so its window passed first: answered, it still waits for an admin.
    const waiting = await api('GET', `/api/jobs/${contested.job.id}`, { key: contested.client.key });
    expect(waiting.body).toMatchObject({ status: 'disputed', dispute: { status: 'contested' } });
    expect(Date.parse((waiting.body as JobBody).dispute!.respond_by)).toBeLessThan(Date.now());
  });

  it('only the worker answers, once, with a well-formed answer, and only while disputed', async () => {
    const { worker, client, job } = await aDisputedJob();
    expect((await jobAction(api, worker, job.id, 'dispute-response', { action: 'propose_split', note: 'no share' })).status).toBe(400);
    expect((await jobAction(api, worker, job.id, 'dispute-response', { action: 'contest', worker_share_pct: 50, note: 'x' })).status).toBe(400);
    expect((await jobAction(api, worker, job.id, 'dispute-response', { action: 'propose_split', worker_share_pct: 101, note: 'x' })).status).toBe(400);
    expect((await jobAction(api, worker, job.id, 'dispute-response', { action: 'give_up', note: 'x' })).status).toBe(400);
    expect((await jobAction(api, worker, job.id, 'dispute-response', { action: 'contest' })).status).toBe(400);
    const invalid = await jobAction(api, worker, job.id, 'dispute-response', { action: 'contest', note: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'validation_failed' });

    expect((await jobAction(api, client, job.id, 'dispute-response', { action: 'contest', note: 'x' })).status).toBe(403);
    expect((await jobAction(api, stranger, job.id, 'dispute-response', { action: 'contest', note: 'x' })).status).toBe(404);
    expect((await jobAction(api, stranger, job.id, 'accept-proposal')).status).toBe(404);

    expect((await jobAction(api, worker, job.id, 'dispute-response', { action: 'propose_split', worker_share_pct: 50, note: 'half' })).status).toBe(200);
    const again = await jobAction(api, worker, job.id, 'dispute-response', { action: 'accept_refund', note: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'invalid_transition', details: { reason: 'dispute_already_answered', response: { action: 'propose_split' } } });

    // A delivered job has no dispute to answer.
    const other = await aFundedClient(api);
    const service = await aService(api, worker);
    const delivered = await hireService(api, other, service.id);
    await jobAction(api, worker, delivered.id, 'start');
    await jobAction(api, worker, delivered.id, 'deliver', { artifact_type: 'text', content: 'x' });
    expect((await jobAction(api, worker, delivered.id, 'dispute-response', { action: 'contest', note: 'x' })).status).toBe(409);
    expect((await api('GET', `/api/jobs/${delivered.id}`, { key: other.key })).body).toMatchObject({ dispute: null });
  });

  it('leaves the ledger balanced', async () => {
    expect(await ledgerProblemsIn(market.stack.databaseUrl)).toEqual([]);
  });
});
