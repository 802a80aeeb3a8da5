import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppError,
  CONSUMERS,
  STREAMS,
  SUBJECTS,
  deadLetterSubject,
  uuidv7,
  type EventEnvelope,
  type InboxView,
  type MarkedRead,
  type MessagePage,
  type MessageView,
} from '@agentmarket/contracts';
import { jobEvents, newJob, type TestJob } from './job-events.ts';
import { startMessagingFixture, waitUntil, type MessagingFixture } from './messaging-fixture.ts';

let fixture: MessagingFixture;
beforeAll(async () => {
  fixture = await startMessagingFixture();
});
afterAll(async () => fixture?.stop());

const inbox = (agentId: string, query: Record<string, unknown> = {}) =>
  fixture.bus.request<InboxView>(SUBJECTS.messaging.inbox, { agent_id: agentId, query: { limit: 20, ...query } });
const markRead = (agentId: string, messageId: string) =>
  fixture.bus.request<MarkedRead>(SUBJECTS.messaging.markRead, { agent_id: agentId, message_id: messageId });
const thread = (jobId: string, query: Record<string, unknown> = {}) =>
  fixture.bus.request<MessagePage>(SUBJECTS.messaging.thread, { job_id: jobId, query: { limit: 20, ...query } });
const directMessageCount = async () =>
  Number((await fixture.sql<{ n: string }>('select count(*) as n from messaging.messages where source_event_id is null'))[0]?.n);

/** Publishes events in order and waits until every one of them has written its messages. */
async function publishAll(events: EventEnvelope[]): Promise<void> {
  for (const event of events) await fixture.publish(event);
  const ids = events.map((event) => event.id);
  await waitUntil(async () => {
    const rows = await fixture.sql<{ n: string }>('select count(distinct source_event_id) as n from messaging.messages where source_event_id in (?)', [ids]);
    return Number(rows[0]?.n) === ids.length;
  });
}

const errorCode = (promise: Promise<unknown>) => promise.then(
  () => 'resolved',
  (error: unknown) => (error instanceof AppError ? error.code : String(error)),
);

describe('automatic job messages', () => {
  it('writes exactly one message per transition, to the party that did not act', async () => {
    const expected: { event: EventEnvelope; to: string[]; from: string | null }[] = [];
    const add = (event: EventEnvelope, to: string[]) =>
      expected.push({ event, to, from: event.actor.type === 'agent' ? event.actor.id : null });

    const happy = newJob('Write a haiku');
    const a = jobEvents(happy);
    const [client, worker] = [happy.client_agent_id, happy.worker_agent_id];
    add(a.event('job_created', a.client, { input_data: { topic: 'autumn' } }), [worker]);
    add(a.event('job_started', a.worker), [client]);
    const deliverable = { id: uuidv7(), version: 1, artifact_type: 'text' };
    add(a.event('job_delivered', a.worker, { deliverable, content: 'first draft', artifact_metadata: {} }), [client]);
    add(a.event('revision_requested', a.client, { feedback: 'Shorter, please' }), [worker]);
    add(a.event('job_delivered', a.worker, { deliverable: { ...deliverable, version: 2 }, content: 'second', artifact_metadata: {} }), [client]);
    add(a.event('job_completed', a.client, { rating: 5, review: 'Lovely', auto: false }), [worker]);

    const expiring = newJob(null);
    const b = jobEvents(expiring);
    add(b.event('job_created', b.client, { input_data: {} }), [expiring.worker_agent_id]);
    add(b.event('job_expired', b.system), [expiring.client_agent_id]);

    const silent = newJob('Summarise a paper');
    const c = jobEvents(silent);
    add(c.event('job_created', c.client, { input_data: {} }), [silent.worker_agent_id]);
    add(c.event('job_started', c.worker), [silent.client_agent_id]);
    add(c.event('job_delivered', c.worker, { deliverable, content: 'summary', artifact_metadata: {} }), [silent.client_agent_id]);
    add(c.event('job_completed', c.system, { rating: 5, review: null, auto: true }), [silent.worker_agent_id]);

    const cancelled = newJob('Cancelled work');
    const d = jobEvents(cancelled);
    add(d.event('job_created', d.client, { input_data: {} }), [cancelled.worker_agent_id]);
    add(d.event('job_cancelled', d.client, { reason: 'Changed my mind' }), [cancelled.worker_agent_id]);

    const failing = newJob('Impossible work');
    const e = jobEvents(failing);
    add(e.event('job_created', e.client, { input_data: {} }), [failing.worker_agent_id]);
    add(e.event('job_started', e.worker), [failing.client_agent_id]);
    add(e.event('job_failed', e.worker, { reason: 'Out of my depth' }), [failing.client_agent_id]);

    const disputed = newJob('Disputed work');
    const f = jobEvents(disputed);
    add(f.event('job_created', f.client, { input_data: {} }), [disputed.worker_agent_id]);
    add(f.event('job_started', f.worker), [disputed.client_agent_id]);
    add(f.event('job_delivered', f.worker, { deliverable, content: 'meh', artifact_metadata: {} }), [disputed.client_agent_id]);
    add(f.event('job_disputed', f.client, { reason: 'Not what I asked' }), [disputed.worker_agent_id]);
    add(f.event('job_resolved', f.admin, { worker_share_pct: 60, note: 'Partly done' }), [disputed.client_agent_id, disputed.worker_agent_id]);

    await publishAll(expected.map(({ event }) => event));
    const rows = await fixture.sql<{ source_event_id: string; to_agent_id: string; from_agent_id: string | null; message_type: string }>(
      'select source_event_id, to_agent_id, from_agent_id, message_type from messaging.messages where source_event_id in (?)',
      [expected.map(({ event }) => event.id)],
    );
    const key = (row: { source_event_id: string; to_agent_id: string; from_agent_id: string | null; message_type: string }) =>
      `${row.source_event_id} ${row.message_type} ${row.from_agent_id} → ${row.to_agent_id}`;
    const wanted = expected.flatMap(({ event, to, from }) =>
      to.map((recipient) => key({ source_event_id: event.id, message_type: event.type, from_agent_id: from, to_agent_id: recipient })),
    );
    expect(rows.map(key).sort()).toEqual(wanted.sort());

    const workerInbox = await inbox(worker);
    expect(workerInbox.messages.map((message) => message.message_type)).toEqual(['job_completed', 'revision_requested', 'job_created']);
    const [completed, revision, created] = workerInbox.messages;
    expect(completed).toMatchObject({
      from_agent_id: client,
      to_agent_id: worker,
      job_id: happy.job_id,
      read_at: null,
      content: { job_id: happy.job_id, status: 'completed', rating: 5, review: 'Lovely', auto: false },
    });
    expect(completed?.content.message).toContain('"Write a haiku"');
    expect(revision?.content).toMatchObject({ feedback: 'Shorter, please', status: 'revision_requested' });
    expect(created?.content).not.toHaveProperty('input_data');

    const clientInbox = await inbox(client);
    expect(clientInbox.messages[0]?.content).toMatchObject({ deliverable_version: 2, artifact_type: 'text', status: 'delivered' });
    expect(clientInbox.messages[0]?.content).not.toHaveProperty('content');

    const expiredMessage = (await inbox(expiring.client_agent_id)).messages[0];
    expect(expiredMessage).toMatchObject({ message_type: 'job_expired', from_agent_id: null });
    expect(expiredMessage?.content.message).toContain(expiring.job_id);
    const autoCompleted = (await inbox(silent.worker_agent_id)).messages[0];
    expect(autoCompleted).toMatchObject({ message_type: 'job_completed', from_agent_id: null, content: { auto: true } });
    for (const party of [disputed.client_agent_id, disputed.worker_agent_id]) {
      expect((await inbox(party)).messages[0]).toMatchObject({
        message_type: 'job_resolved',
        from_agent_id: null,
        content: { worker_share_pct: 60, note: 'Partly done' },
      });
    }
  });

  it('writes nothing more when the same event arrives again under another message id', async () => {
    const job = newJob('Once only');
    const events = jobEvents(job);
    const created = events.event('job_created', events.client, { input_data: {} });
    await publishAll([created]);
    await fixture.publish(created, uuidv7());
    // Consumers handle events in stream order: once the next event is in, the repeat has been handled.
    await publishAll([events.event('job_started', events.worker)]);
    const rows = await fixture.sql<{ n: string }>('select count(*) as n from messaging.messages where source_event_id = ?', [created.id]);
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('sends a job event without its common fields to the dead letter stream and carries on', async () => {
    const job = newJob('Broken event');
    const events = jobEvents(job);
    const broken = events.event('job_started', events.worker);
    delete broken.data.client_agent_id;
    await fixture.publish(broken);
    await publishAll([events.event('job_failed', events.worker, { reason: 'after the broken one' })]);
    const deadLetter = () => fixture.lastOnSubject(deadLetterSubject(CONSUMERS.messaging.jobNotifications.durable), STREAMS.deadLetter.name);
    await waitUntil(async () => (await deadLetter()) !== undefined);
    expect((await deadLetter())?.id).toBe(broken.id);
    const rows = await fixture.sql<{ n: string }>('select count(*) as n from messaging.messages where source_event_id = ?', [broken.id]);
    expect(Number(rows[0]?.n)).toBe(0);
  });
});

describe('inbox', () => {
  let worker: string;
  let jobs: TestJob[];
  let all: MessageView[];

  beforeAll(async () => {
    worker = uuidv7();
    jobs = Array.from({ length: 5 }, (_, index) => ({ ...newJob(`Job ${index + 1}`), worker_agent_id: worker }));
    const builders = jobs.map(jobEvents);
    await publishAll(builders.map((events) => events.event('job_created', events.client, { input_data: {} })));
    const first = builders[0] as ReturnType<typeof jobEvents>;
    await publishAll([
      first.event('job_started', first.worker),
      first.event('job_delivered', first.worker, { deliverable: { id: uuidv7(), version: 1, artifact_type: 'text' }, content: 'x' }),
      first.event('revision_requested', first.client, { feedback: 'again' }),
    ]);
    all = (await inbox(worker)).messages;
  });

  it('lists the messages to the agent, newest first, with counts', async () => {
    expect(all).toHaveLength(6);
    expect(all.every((message) => message.to_agent_id === worker)).toBe(true);
    expect(all.map((message) => message.id)).toEqual(all.map((message) => message.id).sort().reverse());
    expect(all[0]?.message_type).toBe('revision_requested');
    const view = await inbox(worker);
    expect(view).toMatchObject({ total: 6, unread_count: 6, next_cursor: null });
    expect(await inbox(uuidv7())).toEqual({ messages: [], total: 0, unread_count: 0, next_cursor: null });
  });

  it('pages with a cursor, without gaps or repeats', async () => {
    const first = await inbox(worker, { limit: 4 });
    expect(first.messages.map((message) => message.id)).toEqual(all.slice(0, 4).map((message) => message.id));
    expect(first.total).toBe(6);
    expect(first.next_cursor).not.toBeNull();
    const second = await inbox(worker, { limit: 4, cursor: first.next_cursor });
    expect(second.messages.map((message) => message.id)).toEqual(all.slice(4).map((message) => message.id));
    expect(second).toMatchObject({ total: 6, unread_count: 6, next_cursor: null });
    expect(await errorCode(inbox(worker, { cursor: 'garbage' }))).toBe('validation_failed');
  });

  it('marks only its own messages read, once', async () => {
    const [newest, , oldest] = all;
    const marked = await markRead(worker, newest?.id as string);
    expect(marked.message_id).toBe(newest?.id);
    expect(Date.parse(marked.read_at)).toBeGreaterThan(Date.now() - 60_000);
    // Time passing is the point: a second mark made later would carry a later read_at if it rewrote the first.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await markRead(worker, newest?.id as string)).toEqual(marked);
    expect(await errorCode(markRead(uuidv7(), oldest?.id as string))).toBe('not_found');
    expect(await errorCode(markRead(worker, uuidv7()))).toBe('not_found');
    expect((await inbox(worker)).messages.find((message) => message.id === oldest?.id)?.read_at).toBeNull();
    expect((await inbox(worker)).messages[0]?.read_at).toBe(marked.read_at);
  });

  it('filters by read state and job, and counts within the job filter', async () => {
    // The newest message (job 1's revision request) is read after the previous test; mark one of another job too.
    const otherJob = all.find((message) => message.job_id !== jobs[0]?.job_id) as MessageView;
    await markRead(worker, otherJob.id);

    const unread = await inbox(worker, { unread: 'true' });
    expect(unread).toMatchObject({ total: 4, unread_count: 4 });
    expect(unread.messages.every((message) => message.read_at === null)).toBe(true);
    const everything = await inbox(worker, { unread: 'false' });
    expect(everything).toMatchObject({ total: 6, unread_count: 4 });
    expect(everything.messages.filter((message) => message.read_at !== null).map((message) => message.id).sort()).toEqual(
      [all[0]?.id, otherJob.id].sort(),
    );

    const firstJob = await inbox(worker, { job_id: jobs[0]?.job_id });
    expect(firstJob).toMatchObject({ total: 2, unread_count: 1 });
    expect(firstJob.messages.map((message) => message.message_type)).toEqual(['revision_requested', 'job_created']);
    const firstJobUnread = await inbox(worker, { job_id: jobs[0]?.job_id, unread: 'true' });
    expect(firstJobUnread).toMatchObject({ total: 1, unread_count: 1 });
    expect(firstJobUnread.messages.map((message) => message.message_type)).toEqual(['job_created']);

    const unreadPage = await inbox(worker, { unread: 'true', limit: 3 });
    const rest = await inbox(worker, { unread: 'true', limit: 3, cursor: unreadPage.next_cursor });
    expect([...unreadPage.messages, ...rest.messages].map((message) => message.id)).toEqual(unread.messages.map((message) => message.id));
  });

  it('refuses a malformed query', async () => {
    expect(await errorCode(inbox('not-a-uuid'))).toBe('validation_failed');
    expect(await errorCode(inbox(worker, { unread: 'yes' }))).toBe('validation_failed');
  });
});

describe('direct messages and threads', () => {
  it('stores a direct message, shows it in the thread in order, and publishes message_sent', async () => {
    const job = newJob('Threaded job');
    const events = jobEvents(job);
    await publishAll([
      events.event('job_created', events.client, { input_data: {} }),
      events.event('job_started', events.worker),
    ]);
    const direct = await fixture.bus.request<MessageView>(SUBJECTS.messaging.send, {
      job_id: job.job_id,
      from_agent_id: job.worker_agent_id,
      to_agent_id: job.client_agent_id,
      content: 'On it, done by noon',
    });
    expect(direct).toMatchObject({
      from_agent_id: job.worker_agent_id,
      to_agent_id: job.client_agent_id,
      job_id: job.job_id,
      message_type: 'direct_message',
      content: { message: 'On it, done by noon' },
      read_at: null,
    });
    await publishAll([events.event('job_delivered', events.worker, { deliverable: { id: uuidv7(), version: 1, artifact_type: 'code' } })]);

    const whole = await thread(job.job_id);
    expect(whole.data.map((message) => message.message_type)).toEqual(['job_created', 'job_started', 'direct_message', 'job_delivered']);
    expect(whole.next_cursor).toBeNull();
    const first = await thread(job.job_id, { limit: 3 });
    const second = await thread(job.job_id, { limit: 3, cursor: first.next_cursor });
    expect([...first.data, ...second.data]).toEqual(whole.data);
    expect(second.next_cursor).toBeNull();

    expect((await inbox(job.client_agent_id)).messages.map((message) => message.message_type)).toEqual([
      'job_delivered',
      'direct_message',
      'job_started',
    ]);

    // A direct message is announced as message_sent; an automatic one is not (its job event is the fact).
    await waitUntil(async () => (await fixture.streamCount('evt.message.sent')) >= 1);
    const sent = await fixture.lastOnSubject('evt.message.sent');
    const directView = whole.data.find((message) => message.message_type === 'direct_message') as MessageView;
    expect(sent).toMatchObject({
      type: 'message_sent',
      aggregate_id: directView.id,
      aggregate_version: 1,
      data: { message: directView, from_agent_id: job.worker_agent_id, to_agent_id: job.client_agent_id, job_id: job.job_id },
    });
    expect(await fixture.streamCount('evt.message.sent')).toBe(await directMessageCount());
  });

  it('refuses a direct message without content', async () => {
    const job = newJob();
    const request = { job_id: job.job_id, from_agent_id: job.client_agent_id, to_agent_id: job.worker_agent_id, content: '   ' };
    expect(await errorCode(fixture.bus.request(SUBJECTS.messaging.send, request))).toBe('validation_failed');
  });
});
