import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aFundedClient, aService, aRegisteredAgent, eventually, hireService, jobAction, useTestStack, type TestAgent } from '@agentmarket/testing';

/**
 * Deadline extensions through the gateway on a whole market: the worker of a
 * started job asks for more minutes (one request at a time), the client
 * grants (the delivery deadline and its timer move) or declines; each step
 * is a history row, an event, an inbox message and an activity row.
 */
// Short enough for a test to see a deadline pass (a service without estimated_minutes gets the floor).
const DEADLINE_FLOOR_SECONDS = 2;

const market = useTestStack({
  env: { STARTER_GRANT_USD_CENTS: '0', STARTER_GRANT_SATS: '0' },
  envFor: { jobs: { JOB_DELIVERY_DEADLINE_FLOOR_SECONDS: String(DEADLINE_FLOOR_SECONDS), TIMER_POLL_MS: '100' } },
});
const { api } = market;

let worker: TestAgent;
let db: pg.Client | undefined;

beforeAll(async () => {
  worker = await aRegisteredAgent(api);
  db = new pg.Client({ connectionString: market.stack.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

async function aStartedJob(overrides: Record<string, unknown> = {}) {
  const client = await aFundedClient(api);
  const service = await aService(api, worker, overrides);
  const job = await hireService(api, client, service.id);
  const started = await jobAction(api, worker, job.id, 'start');
  expect(started.status).toBe(200);
  return { client, job: started.body as { id: string; delivery_deadline: string } };
}

const timerDueAt = async (jobId: string) =>
  (await db!.query<{ due_at: Date }>(`select due_at from jobs.timers where job_id = $1 and kind = 'delivery_deadline'`, [jobId])).rows[0]?.due_at.toISOString();
const historyEvents = async (jobId: string, key: string) =>
  ((await api('GET', `/api/jobs/${jobId}/history`, { key })).body.data as { event: string; from: string; to: string; details: Record<string, unknown> }[]);
const inboxTypes = async (jobId: string, key: string) =>
  ((await api('GET', `/api/inbox?job_id=${jobId}`, { key })).body.messages as { message_type: string; content: Record<string, unknown> }[]);

describe('deadline extensions', () => {
  it('a granted extension moves the delivery deadline and its timer by the minutes asked for', async () => {
    // A service with an estimate: a deadline far enough away that it does not pass during the test.
    const { client, job } = await aStartedJob({ estimated_minutes: 60 });
    const requested = await jobAction(api, worker, job.id, 'request-extension', { minutes: 90, reason: 'the data set is bigger than described' });
    expect(requested.status).toBe(200);
    expect(requested.body).toMatchObject({ status: 'in_progress', delivery_deadline: job.delivery_deadline, pending_extension: { minutes: 90 } });
    expect(await timerDueAt(job.id)).toBe(job.delivery_deadline);

    // One request at a time.
    const again = await jobAction(api, worker, job.id, 'request-extension', { minutes: 5, reason: 'and a bit more' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'invalid_transition', details: { reason: 'extension_already_pending' } });

    const granted = await jobAction(api, client, job.id, 'extension', { grant: true });
    expect(granted.status).toBe(200);
    const moved = new Date(Date.parse(job.delivery_deadline) + 90 * 60_000).toISOString();
    expect(granted.body).toMatchObject({ status: 'in_progress', delivery_deadline: moved, pending_extension: null });
    expect(await timerDueAt(job.id)).toBe(moved);

    const history = await historyEvents(job.id, client.key);
    expect(history.slice(-2).map((entry) => [entry.from, entry.to, entry.event])).toEqual([
      ['in_progress', 'in_progress', 'request_extension'],
      ['in_progress', 'in_progress', 'grant_extension'],
    ]);
    expect(history.at(-1)?.details).toMatchObject({ minutes: 90, delivery_deadline: moved });

    const clientInbox = await eventually(() => inboxTypes(job.id, client.key), (messages) => messages.some((m) => m.message_type === 'extension_requested'));
    expect(clientInbox.find((m) => m.message_type === 'extension_requested')?.content).toMatchObject({ minutes: 90, reason: 'the data set is bigger than described' });
    const workerInbox = await eventually(() => inboxTypes(job.id, worker.key), (messages) => messages.some((m) => m.message_type === 'extension_granted'));
    expect(workerInbox.find((m) => m.message_type === 'extension_granted')?.content).toMatchObject({ minutes: 90, delivery_deadline: moved });
    const activity = await eventually(
      async () => (await api('GET', `/api/activity?job_id=${job.id}`)).body.data as { type: string }[],
      (entries) => entries.some((entry) => entry.type === 'extension_granted'),
    );
    expect(activity.map((entry) => entry.type)).toContain('extension_requested');
  });

  it('a declined extension leaves the deadline; answering with none pending, or from the wrong side, is refused', async () => {
    const { client, job } = await aStartedJob({ estimated_minutes: 60 });
    const none = await jobAction(api, client, job.id, 'extension', { grant: true });
    expect(none.status).toBe(409);
    expect(none.body.error).toMatchObject({ code: 'invalid_transition', details: { reason: 'no_pending_extension' } });
    expect((await jobAction(api, client, job.id, 'request-extension', { minutes: 10, reason: 'x' })).status).toBe(403);
    expect((await jobAction(api, worker, job.id, 'request-extension', { minutes: 0, reason: 'x' })).status).toBe(400);
    expect((await jobAction(api, worker, job.id, 'request-extension', { minutes: 43_201, reason: 'x' })).status).toBe(400);

    expect((await jobAction(api, worker, job.id, 'request-extension', { minutes: 30, reason: 'waiting on an API' })).status).toBe(200);
    expect((await jobAction(api, worker, job.id, 'extension', { grant: true })).status).toBe(403);
    const declined = await jobAction(api, client, job.id, 'extension', { grant: false });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ delivery_deadline: job.delivery_deadline, pending_extension: null });
    expect(await timerDueAt(job.id)).toBe(job.delivery_deadline);
    await eventually(() => inboxTypes(job.id, worker.key), (messages) => messages.some((m) => m.message_type === 'extension_declined'));

    // Declined, the worker may ask again; a delivery lets the unanswered request lapse.
    expect((await jobAction(api, worker, job.id, 'request-extension', { minutes: 15, reason: 'one more try' })).status).toBe(200);
    const delivered = await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: 'done' });
    expect(delivered.body).toMatchObject({ status: 'delivered', pending_extension: null });
    expect((await jobAction(api, client, job.id, 'extension', { grant: true })).status).toBe(409);
  });

  it('the timer honours a granted deadline: the old one passes unannounced, and cancelling stays refused', async () => {
    const { client, job } = await aStartedJob();
    expect((await jobAction(api, worker, job.id, 'request-extension', { minutes: 60, reason: 'need an hour' })).status).toBe(200);
    expect((await jobAction(api, client, job.id, 'extension', { grant: true })).status).toBe(200);
    // A witness started now: once its (2 s) deadline is announced, the extended job's old one has passed too.
    const witness = await aStartedJob();
    await eventually(
      () => historyEvents(witness.job.id, witness.client.key),
      (history) => history.some((entry) => entry.event === 'deadline_passed'),
    );
    expect((await historyEvents(job.id, client.key)).map((entry) => entry.event)).not.toContain('deadline_passed');
    const cancel = await jobAction(api, client, job.id, 'cancel', {});
    expect(cancel.status).toBe(409);
    expect(cancel.body.error).toMatchObject({ details: { reason: 'delivery_deadline_not_passed' } });
  });

  it('an extension granted after the deadline passed gives the worker the minutes from that deadline', async () => {
    const { client, job } = await aStartedJob();
    await eventually(() => historyEvents(job.id, client.key), (history) => history.some((entry) => entry.event === 'deadline_passed'));
    expect((await jobAction(api, worker, job.id, 'request-extension', { minutes: 60, reason: 'late, sorry' })).status).toBe(200);
    const granted = await jobAction(api, client, job.id, 'extension', { grant: true });
    const moved = new Date(Date.parse(job.delivery_deadline) + 60 * 60_000).toISOString();
    expect(granted.body).toMatchObject({ status: 'in_progress', delivery_deadline: moved });
    expect(await timerDueAt(job.id)).toBe(moved);
    expect((await jobAction(api, client, job.id, 'cancel', {})).status).toBe(409);
  });
});
