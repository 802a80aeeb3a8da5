import { DemoClient } from './demo-client.ts';
import { openFeed } from './demo-feed.ts';
import { runTraffic } from './traffic.ts';

/**
 * `npm run demo`: against a running `npm start`, two agents walk a job
 * through its whole lifecycle the way real agents would, then print their
 * inboxes and the live events seen. Exits non-zero on any surprise.
 * With `--traffic`, synthetic agents keep trading instead (for the dashboard).
 */
const gatewayUrl = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.PORT ?? '8000'}`;
const api = new DemoClient(gatewayUrl);
const say = (line: string) => console.log(line);

async function main(): Promise<void> {
  await api.call('GET', '/readyz', 200).catch((error: Error) => {
    throw new Error(`The market at ${gatewayUrl} is not ready (is \`npm start\` running?): ${error.message}`);
  });
  const feed = await openFeed(`${gatewayUrl}/api/events`);
  const suffix = Date.now().toString(36);

  const alice = await api.call('POST', '/api/agents', 201, { body: { name: `Alice-${suffix}`, capabilities: ['research'], description: 'hires poets' } });
  const bob = await api.call('POST', '/api/agents', 201, { body: { name: `Bob-${suffix}`, capabilities: ['poetry'], description: 'writes haiku' } });
  say(`registered ${alice.name} (client) and ${bob.name} (worker)`);
  const startingBalance = await waitForGrant(alice.api_key);
  say(`${alice.name}'s wallet: ${startingBalance} USD available (the starter grant of \`npm start\`)`);

  const service = await api.call('POST', '/api/services', 201, {
    key: bob.api_key,
    body: {
      name: 'Haiku on demand',
      description: 'A haiku about any topic, revised until you like it',
      price_usd: '2.50',
      output_type: 'text',
      required_inputs: [{ name: 'topic', type: 'string', description: 'what the haiku is about' }],
      capabilities_required: ['poetry'],
      max_revisions: 2,
    },
  });
  say(`${bob.name} published "${service.name}" for ${service.price_usd} USD`);

  const found = await api.call('GET', `/api/services?q=haiku&agent_id=${bob.agent_id}`, 200);
  if (!found.data.some((s: { id: string }) => s.id === service.id)) throw new Error('the new service is not found by full-text search');

  const job = await api.call('POST', '/api/jobs', 201, {
    key: alice.api_key,
    body: { service_id: service.id, title: 'A haiku about the sea', input_data: { topic: 'the sea' } },
  });
  say(`${alice.name} hired it: job ${job.id} is ${job.status}`);
  const step = async (who: { api_key: string; name: string }, action: string, body?: unknown, status?: string) => {
    const next = await api.call('POST', `/api/jobs/${job.id}/${action}`, 200, { key: who.api_key, body });
    if (status && next.status !== status) throw new Error(`${action}: expected ${status}, got ${next.status}`);
    say(`${who.name}: ${action} → ${next.status}`);
    return next;
  };
  await step(bob, 'start', undefined, 'in_progress');
  await step(bob, 'deliver', { artifact_type: 'text', content: 'Waves fold into foam / the tide keeps its own counsel / gulls argue with wind' }, 'delivered');
  await step(alice, 'request-revision', { feedback: 'Could it mention the moon?' }, 'revision_requested');
  const delivered = await step(bob, 'deliver', { artifact_type: 'text', content: 'Moon pulls at the sea / waves fold their silver to foam / gulls argue with night' }, 'delivered');
  if (delivered.deliverables.length !== 2) throw new Error(`expected 2 deliverable versions, got ${delivered.deliverables.length}`);
  const completed = await step(alice, 'complete', { rating: 5, review: 'Lovely' }, 'completed');
  say(`final deliverable (v${completed.deliverables.at(-1).version}): ${completed.deliverables.at(-1).content}`);

  const history = await api.call('GET', `/api/jobs/${job.id}/history`, 200, { key: alice.api_key });
  say(`history: ${history.data.map((t: { from: string | null; to: string }) => `${t.from ?? '∅'}→${t.to}`).join(', ')}`);

  const expectedEvents = ['job_created', 'job_started', 'job_delivered', 'revision_requested', 'job_delivered', 'job_completed'];
  const deadline = Date.now() + 10_000;
  const jobEvents = () => feed.events.filter((event) => event.aggregateId === job.id);
  while (jobEvents().length < expectedEvents.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const seen = jobEvents().map((event) => event.type);
  say(`SSE events seen for the job: ${seen.join(', ')}`);
  if (seen.join() !== expectedEvents.join()) throw new Error(`expected SSE events ${expectedEvents.join(', ')}`);

  for (const agent of [alice, bob]) {
    const inbox = await waitForInbox(agent.api_key, job.id, 3);
    say(`${agent.name}'s inbox (${inbox.total} about this job, ${inbox.unread_count} unread):`);
    for (const message of inbox.messages.toReversed()) say(`  [${message.message_type}] ${message.content.message}`);
  }
  const spent = Number(startingBalance) - Number((await usdBalance(alice.api_key)).available);
  if (spent.toFixed(2) !== '2.50') throw new Error(`expected the client to have paid 2.50 USD, it paid ${spent.toFixed(2)}`);
  const earned = await waitFor(async () => (await usdBalance(bob.api_key)).available, (available) => Number(available) > Number(startingBalance));
  say(`wallets: ${alice.name} paid 2.50 USD; ${bob.name} now has ${earned} USD (the price minus the platform fee)`);
  feed.close();
  say('demo finished: every step behaved as expected');
}

async function usdBalance(key: string): Promise<{ available: string; held: string }> {
  const wallet = await api.call('GET', '/api/wallet', 200, { key });
  return wallet.balances.find((balance: { currency: string }) => balance.currency === 'USD');
}

/** The starter grant follows the registration event: wait for it, and say so if the market gives none. */
async function waitForGrant(key: string): Promise<string> {
  return waitFor(
    async () => (await usdBalance(key)).available,
    (available) => Number(available) >= 2.5,
    'no starter grant arrived: run the market with `npm start` (it grants 100.00 USD) or set STARTER_GRANT_USD_CENTS',
  );
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, failure = 'condition not met'): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${failure} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForInbox(key: string, jobId: string, count: number) {
  return waitFor(
    () => api.call('GET', `/api/inbox?job_id=${jobId}`, 200, { key }),
    (inbox) => inbox.total >= count,
    `expected ${count} inbox messages`,
  );
}

const traffic = process.argv.includes('--traffic');
(traffic ? runTraffic(api, say, { agents: Number(process.env.DEMO_AGENTS ?? 6), pauseMs: Number(process.env.DEMO_PAUSE_MS ?? 700) }) : main()).then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`demo failed: ${error.message}`);
    process.exit(1);
  },
);
