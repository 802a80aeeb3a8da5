import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { STREAMS, SUBJECTS, inboxPrefixOf, type BusUser } from '@agentmarket/contracts';
import { credentialsFileOf, ensureNatsAuth, startNatsServer, type NatsAuth, type RunningNats } from '@agentmarket/local-infra';
import { applyBusTopology, connectBus, decodeJson, encodeJson } from '@agentmarket/messaging';

/**
 * A real nats-server started with the generated config (no anonymous user):
 * each process's credentials do what its declarations allow, and nothing else.
 */
let workDir: string;
let auth: NatsAuth;
let nats: RunningNats;
const serverLog: string[] = [];
const connections: NatsConnection[] = [];
const silent = pino({ level: 'silent' });

async function connectAs(user: BusUser, logger = silent): Promise<NatsConnection> {
  const connection = await connectBus({
    servers: nats.url,
    name: `test-as-${user}`,
    logger,
    credentials: { NATS_USER: user, NATS_PASSWORD: auth.passwords[user], NATS_TLS_CA_FILE: '' },
  });
  connections.push(connection);
  return connection;
}

/** Every message on `subject` that reaches the operator, in order. */
async function watch(operator: NatsConnection, subject: string): Promise<Msg[]> {
  const seen: Msg[] = [];
  operator.subscribe(subject, { callback: (_error, message) => void seen.push(message) });
  await operator.flush();
  return seen;
}

/**
 * Ends after the server has handled everything `connection` sent before: a
 * publish it refused has been refused by then. (A ping travels behind the
 * publishes on the same socket, and the server answers it in order.)
 */
const settled = (connection: NatsConnection) => connection.flush();

const violations = (user: string) => serverLog.filter((line) => line.includes('Violation') && line.includes(`"${user}"`));

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-bus-permissions-'));
  auth = await ensureNatsAuth(path.join(workDir, 'nats-auth'));
  nats = await startNatsServer({ storeDir: path.join(workDir, 'nats'), configFile: auth.configFile, logger: (line) => serverLog.push(line) });
  // The streams exist before anyone publishes, as in a running market.
  await applyBusTopology(await connectAs('operator'), { streams: Object.values(STREAMS), consumers: [], replicas: 1, logger: silent });
});

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close().catch(() => {})));
  await nats?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('the generated bus credentials', () => {
  it('are one random password per user in files only their owner can read', async () => {
    const passwords = Object.values(auth.passwords);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const password of passwords) expect(password.length).toBeGreaterThanOrEqual(40);
    expect((await stat(auth.configFile)).mode & 0o777).toBe(0o600);
    expect((await stat(credentialsFileOf(path.dirname(auth.configFile), 'payments'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(auth.configFile))).mode & 0o777).toBe(0o700);
  });

  it('are reused by a second generation into the same directory, so a restart keeps them', async () => {
    const again = await ensureNatsAuth(path.dirname(auth.configFile));
    expect(again.passwords).toEqual(auth.passwords);
  });
});

describe('a bus that is not an open door', () => {
  it('refuses a client without credentials, and one with a wrong password', async () => {
    const anonymous = connectBus({
      servers: nats.url,
      name: 'anonymous',
      logger: silent,
      credentials: { NATS_USER: '', NATS_PASSWORD: '', NATS_TLS_CA_FILE: '' },
    });
    await expect(anonymous).rejects.toThrow(/authorization/i);
    const wrong = connectBus({
      servers: nats.url,
      name: 'wrong',
      logger: silent,
      credentials: { NATS_USER: 'payments', NATS_PASSWORD: 'guessed', NATS_TLS_CA_FILE: '' },
    });
    await expect(wrong).rejects.toThrow(/authorization/i);
  });

  it("payments' credentials cannot publish a job event: the stream refuses it and no subscriber receives it", async () => {
    const operator = await connectAs('operator');
    const seen = await watch(operator, 'evt.job.completed');
    const processLog: string[] = [];
    const payments = await connectAs('payments', pino({ level: 'warn' }, { write: (line: string) => void processLog.push(line) }));
    const forged = jetstream(payments, { timeout: 2000 }).publish('evt.job.completed', encodeJson({ forged: true }));
    await expect(forged).rejects.toThrow();
    await settled(payments);
    // The operator's own publish after it arrives; the forged one never does.
    operator.publish('evt.job.completed', encodeJson({ marker: true }));
    await expect.poll(() => seen.length).toBe(1);
    expect(decodeJson(seen[0]!.data)).toEqual({ marker: true });
    await expect.poll(() => violations('payments').some((line) => line.includes('Publish Violation') && line.includes('evt.job.completed'))).toBe(true);
    // The process's own log says it too, in the words docs/operators/troubleshooting.md quotes.
    await expect
      .poll(() => processLog.some((line) => line.includes('bus error') && line.includes('Permissions Violation for Publish to \\"evt.job.completed\\"')))
      .toBe(true);
  });

  it('payments can publish its own events to the EVENTS stream', async () => {
    const payments = await connectAs('payments');
    const ack = await jetstream(payments).publish('evt.escrow.held', encodeJson({ own: true }));
    expect(ack.stream).toBe(STREAMS.events.name);
  });

  it('jobs cannot call payments.wallet.credit (an admin route of the gateway), but can hold escrow through payments', async () => {
    const payments = await connectAs('payments');
    const credits: Msg[] = [];
    payments.subscribe(SUBJECTS.payments.credit, { queue: 'payments', callback: (_error, message) => void credits.push(message) });
    payments.subscribe(SUBJECTS.payments.hold, { queue: 'payments', callback: (_error, message) => void message.respond(encodeJson({ ok: true, data: 'held' })) });
    await payments.flush();
    const jobs = await connectAs('jobs');

    await expect(jobs.request(SUBJECTS.payments.credit, encodeJson({ agent_id: 'me', amount_usd: '1000.00' }), { timeout: 1500 })).rejects.toThrow();
    await settled(jobs);
    await expect.poll(() => violations('jobs').some((line) => line.includes(SUBJECTS.payments.credit))).toBe(true);

    const held = await jobs.request(SUBJECTS.payments.hold, encodeJson({}), { timeout: 5000 });
    expect(decodeJson(held.data)).toEqual({ ok: true, data: 'held' });
    // The answer that did arrive proves the request went through: the forbidden one never reached payments.
    expect(credits).toHaveLength(0);
  });

  it('a service answers the processes that call it and the operator, and cannot slip a reply into any other inbox', async () => {
    const jobs = await connectAs('jobs');
    const intoJobsInbox: Msg[] = [];
    jobs.subscribe(`${inboxPrefixOf('jobs')}.>`, { callback: (_error, message) => void intoJobsInbox.push(message) });
    await jobs.flush();
    // messaging is never called by jobs: a "reply" from it is refused by the server.
    const messaging = await connectAs('messaging');
    messaging.publish(`${inboxPrefixOf('jobs')}.forged.1`, encodeJson({ forged: true }));
    await settled(messaging);
    // payments is (escrow holds): its publish into the same inbox arrives, and only it.
    const payments = await connectAs('payments');
    payments.publish(`${inboxPrefixOf('jobs')}.marker.1`, encodeJson({ marker: true }));
    await expect.poll(() => intoJobsInbox.length).toBe(1);
    expect(decodeJson(intoJobsInbox[0]!.data)).toEqual({ marker: true });
    await expect.poll(() => violations('messaging').some((line) => line.includes('Publish Violation') && line.includes(inboxPrefixOf('jobs')))).toBe(true);

    // The operator is answered, under its own inbox prefix (connectBus) and under the default one (the nats CLI).
    payments.subscribe(SUBJECTS.payments.abandon, { callback: (_error, message) => void message.respond(encodeJson({ ok: true, data: 'answered' })) });
    await payments.flush();
    const answer = await (await connectAs('operator')).request(SUBJECTS.payments.abandon, encodeJson({}), { timeout: 5000 });
    expect(decodeJson(answer.data)).toEqual({ ok: true, data: 'answered' });
    const tool = await connect({ servers: nats.url, user: 'operator', pass: auth.passwords.operator });
    connections.push(tool);
    const toolAnswer = await tool.request(SUBJECTS.payments.abandon, encodeJson({}), { timeout: 5000 });
    expect(decodeJson(toolAnswer.data)).toEqual({ ok: true, data: 'answered' });
  });

  it('grants answers as publish rights, never with allow_responses (nats-server would track every JetStream delivery)', async () => {
    // With allow_responses nats-server records the ack subject of each message delivered to the user and, past
    // 4,096 records, scans them all on every delivery: 670 µs of server CPU per message against 11 µs without.
    expect(await readFile(auth.configFile, 'utf8')).not.toContain('allow_responses');
  });

  it('the gateway cannot publish any event, not even an agent event it subscribes to', async () => {
    const operator = await connectAs('operator');
    const seen = await watch(operator, 'evt.>');
    const gateway = await connectAs('gateway');
    for (const subject of ['evt.agent.registered', 'evt.job.completed', 'evt.wallet.credited', 'evt.anything.new']) gateway.publish(subject, encodeJson({ forged: subject }));
    await settled(gateway);
    operator.publish('evt.marker.done', encodeJson({ marker: true }));
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]!.subject).toBe('evt.marker.done');
    await expect.poll(() => violations('gateway').filter((line) => line.includes('evt.'))).toHaveLength(4);
  });

  it('a service cannot answer another service’s subjects nor read another user’s replies', async () => {
    const catalog = await connectAs('catalog');
    const errors: Error[] = [];
    catalog.subscribe(SUBJECTS.payments.credit, { callback: (error) => void (error && errors.push(error)) });
    catalog.subscribe(`${inboxPrefixOf('gateway')}.>`, { callback: (error) => void (error && errors.push(error)) });
    await settled(catalog);
    await expect.poll(() => errors.length).toBe(2);
    // The server's log names the user and the subject: what an operator greps for.
    await expect.poll(() => violations('catalog').filter((line) => line.includes('Subscription Violation'))).toHaveLength(2);
  });
});
