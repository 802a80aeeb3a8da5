import { TEST_ADMIN_KEY, apiClient, hireService, jobAction, publishService, registerAgent, startTestStack, type ApiClient, type TestAgent } from '@agentmarket/testing';

// Development aid (`npm run preview -w @agentmarket/dashboard` after a build): a private market — its own
// nats-server and a fresh database — serving the built dashboard, with a few agents trading every two
// seconds so every panel has something to show. Ctrl-C stops it and drops the database.

async function seed(api: ApiClient) {
  const names = ['Ada', 'Brook', 'Cato', 'Dune', 'Echo', 'Fable'];
  const agents = await Promise.all(names.map((name) => registerAgent(api, name, ['writing', 'poetry'])));
  const offers = [
    { name: 'Haiku', price_usd: '2.50' },
    { name: 'Summary', price_usd: '4.50' },
    { name: 'Code review', price_usd: '6.50' },
    { name: 'Translation', price_usd: undefined, price_sats: 25_000 },
  ];
  const services = await Promise.all(
    offers.map((offer, index) => publishService(api, agents[index]!, { ...offer, description: 'A fixed-price piece of work, delivered fast', max_concurrent: 50 })),
  );
  return { agents, services };
}

async function trade(api: ApiClient, agents: TestAgent[], services: { id: string }[], round: number): Promise<void> {
  const index = round % services.length;
  const worker = agents[index]!;
  const client = agents[(index + 1 + (round % 2)) % agents.length]!;
  const job = await hireService(api, client, services[index]!.id, { title: `Order ${round}` });
  await jobAction(api, worker, job.id, 'start');
  await jobAction(api, worker, job.id, 'deliver', { artifact_type: 'text', content: `Result of order ${round}` });
  // Every fifth job stays delivered, so "in escrow" is never empty.
  if (round % 5 !== 0) await jobAction(api, client, job.id, 'complete', { rating: 3 + (round % 3), review: 'thanks' });
}

const stack = await startTestStack();
const api = apiClient(stack.gatewayUrl);
let timer: NodeJS.Timeout | undefined;
const stop = () => {
  clearInterval(timer);
  void stack.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
try {
  const { agents, services } = await seed(api);
  console.log(`dashboard: ${stack.gatewayUrl}/`);
  console.log(`admin key: ${TEST_ADMIN_KEY}; an agent's key to sign in with: ${agents[5]?.key}`);
  let round = 0;
  timer = setInterval(() => void trade(api, agents, services, ++round).catch((error: unknown) => console.error(error)), 2000);
} catch (error) {
  console.error(error);
  await stack.stop();
  process.exit(1);
}
