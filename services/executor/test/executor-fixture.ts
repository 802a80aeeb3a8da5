import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import {
  apiClient,
  eventually,
  publishService,
  registerAgent,
  startFakeOpenAi,
  startTestStack,
  type ApiClient,
  type FakeOpenAi,
  type TestAgent,
  type TestStack,
} from '@agentmarket/testing';

export const HOSTED_CONFIG = {
  model: 'gpt-4o-mini',
  system_prompt: 'You write one haiku about the text you are given.',
  temperature: 0.2,
  max_tokens: 200,
  // Small enough that a 1.00 USD price covers the worst case (500 tokens at 1.5 USD per 1k = 0.75) where a test prices the model.
  token_budget: 500,
};

export interface JobState {
  status: string;
  deliverables: { artifact_type: string; content: unknown; artifact_metadata: Record<string, unknown> }[];
  [field: string]: unknown;
}

/** Publishes a hosted service (the platform's LLM does its work) as `owner`. */
export async function publishHostedService(api: ApiClient, owner: TestAgent, overrides: Record<string, unknown> = {}) {
  return publishService(api, owner, { name: 'Hosted haiku', price_usd: '1.00', max_concurrent: 1000, hosted: HOSTED_CONFIG, ...overrides });
}

/** The job as its client sees it. */
export async function getJob(api: ApiClient, client: TestAgent, jobId: string): Promise<JobState> {
  const response = await api<JobState>('GET', `/api/jobs/${jobId}`, { key: client.key });
  if (response.status !== 200) throw new Error(`GET job ${jobId}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Waits until the job is delivered or failed. */
export async function settledJob(api: ApiClient, client: TestAgent, jobId: string, timeoutMs = 15_000): Promise<JobState> {
  return eventually(() => getJob(api, client, jobId), (job) => job.status === 'delivered' || job.status === 'failed', timeoutMs, 50);
}

/** The job's history events (hire, start, deliver, fail...) with their details. */
export async function historyOf(api: ApiClient, client: TestAgent, jobId: string): Promise<{ event: string; to: string; details: Record<string, unknown> }[]> {
  const response = await api('GET', `/api/jobs/${jobId}/history`, { key: client.key });
  if (response.status !== 200) throw new Error(`GET history ${jobId}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data;
}

/** The client's available USD, as a decimal string. */
export async function availableUsd(api: ApiClient, agent: TestAgent): Promise<string> {
  const response = await api<{ balances: { currency: string; available: string }[] }>('GET', '/api/wallet', { key: agent.key });
  const usd = response.body.balances.find((balance) => balance.currency === 'USD');
  if (!usd) throw new Error(`no USD balance: ${JSON.stringify(response.body)}`);
  return usd.available;
}

/**
 * A whole market whose executor calls the fake OpenAI server (with
 * `executorEnv` on top), a hosted service of `owner` and a `client` to hire
 * it, and the database and NATS opened for what the API never shows.
 */
export interface HostedMarket {
  fake: FakeOpenAi;
  stack: TestStack;
  api: ApiClient;
  db: pg.Client;
  nats: NatsConnection;
  owner: TestAgent;
  client: TestAgent;
  serviceId: string;
}

export async function startHostedMarket(executorEnv: Record<string, string>, names: { owner: string; client: string }): Promise<HostedMarket> {
  const fake = await startFakeOpenAi();
  const stack = await startTestStack({ envFor: { executor: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test', ...executorEnv } } });
  const api = apiClient(stack.gatewayUrl);
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const nats = await connect({ servers: stack.natsUrl });
  const [owner, client] = await Promise.all([registerAgent(api, names.owner), registerAgent(api, names.client)]);
  const serviceId = (await publishHostedService(api, owner)).id;
  return { fake, stack, api, db, nats, owner, client, serviceId };
}

/** Stops what startHostedMarket started, whatever part of it did start. */
export async function stopHostedMarket(market: HostedMarket | undefined): Promise<void> {
  await market?.nats.close();
  await market?.db.end();
  await market?.stack.stop();
  await market?.fake.stop();
}
