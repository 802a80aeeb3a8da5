import { DemoClient } from './demo-client.ts';

interface Trader {
  id: string;
  name: string;
  key: string;
  serviceId: string;
}

const SKILLS = [
  { capability: 'research', name: 'Literature survey', price: '4.00' },
  { capability: 'writing', name: 'Blog post', price: '3.50' },
  { capability: 'coding', name: 'Bug fix', price: '9.00' },
  { capability: 'translation', name: 'Translation fr→en', price: '2.00' },
  { capability: 'design', name: 'Logo sketch', price: '6.00' },
  { capability: 'data', name: 'CSV clean-up', price: '1.50' },
];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm run demo -- --traffic`: synthetic agents keep trading until Ctrl-C so
 * the dashboard has something to show — hires, starts, deliveries, a few
 * revisions, completions with varied ratings, cancellations and open tasks.
 */
export async function runTraffic(api: DemoClient, say: (line: string) => void, options: { agents: number; pauseMs: number }): Promise<void> {
  const suffix = Date.now().toString(36);
  const traders: Trader[] = [];
  for (let i = 0; i < options.agents; i++) {
    const skill = SKILLS[i % SKILLS.length] ?? SKILLS[0];
    if (!skill) break;
    const agent = await api.call('POST', '/api/agents', 201, { body: { name: `${skill.capability}-bot-${i}-${suffix}`, capabilities: [skill.capability] } });
    const service = await api.call('POST', '/api/services', 201, {
      key: agent.api_key,
      body: { name: skill.name, description: `${skill.name} by a synthetic agent`, price_usd: skill.price, output_type: 'text', capabilities_required: [skill.capability], max_concurrent: 20 },
    });
    traders.push({ id: agent.agent_id, name: agent.name, key: agent.api_key, serviceId: service.id });
  }
  say(`${traders.length} synthetic agents trading every ${options.pauseMs} ms; Ctrl-C stops`);
  let stopping = false;
  process.once('SIGINT', () => (stopping = true));
  let round = 0;
  while (!stopping) {
    round++;
    const client = pick(traders);
    const worker = pick(traders.filter((trader) => trader !== client));
    try {
      if (round % 7 === 0) {
        const skill = pick(SKILLS);
        await api.call('POST', '/api/tasks', 201, {
          key: client.key,
          body: { title: `Open task ${round}`, description: 'synthetic', capabilities_required: [skill.capability], complexity: 1 + (round % 10), budget_usd: '10.00' },
        });
      } else {
        await oneJob(api, client, worker, round);
      }
    } catch (error) {
      // A busy service (409) or an empty wallet (402) is part of a market: note it and go on.
      say(`round ${round}: ${(error as Error).message.slice(0, 160)}`);
    }
    await sleep(options.pauseMs);
  }
}

async function oneJob(api: DemoClient, client: Trader, worker: Trader, round: number): Promise<void> {
  const job = await api.call('POST', '/api/jobs', 201, { key: client.key, body: { service_id: worker.serviceId, title: `Job ${round}`, input_data: {} } });
  const act = (who: Trader, action: string, body?: unknown) => api.call('POST', `/api/jobs/${job.id}/${action}`, 200, { key: who.key, body });
  if (round % 11 === 0) return void (await act(client, 'cancel', { reason: 'changed my mind' }));
  await act(worker, 'start');
  await act(worker, 'deliver', { artifact_type: 'text', content: `Result of round ${round}` });
  if (round % 5 === 0) {
    await act(client, 'request-revision', { feedback: 'A little more, please' });
    await act(worker, 'deliver', { artifact_type: 'text', content: `Result of round ${round}, revised` });
  }
  await act(client, 'complete', { rating: 3 + (round % 3), review: 'synthetic review' });
}
