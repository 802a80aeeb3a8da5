import { performance } from 'node:perf_hooks';
import { apiClient, hireService, publishService, registerAgent, type FakeOpenAi } from '@agentmarket/testing';

export interface ExecutorResult {
  jobs: number;
  concurrency: number;
  modelLatencyMs: number;
  seconds: number;
  jobsPerSec: number;
  boundJobsPerSec: number;
  ratio: number;
  delivered: number;
}

/**
 * Hosted jobs end to end: `jobs` hires of one hosted service, worked by the
 * executor against the fake model answering after `modelLatencyMs`. Measured
 * from the first model request to the last delivery; the bound is what the
 * configured concurrency allows, concurrency / latency.
 */
export async function runExecutorLoad(options: {
  baseUrl: string;
  fake: FakeOpenAi;
  jobs: number;
  concurrency: number;
  modelLatencyMs: number;
}): Promise<ExecutorResult> {
  const api = apiClient(options.baseUrl);
  const [client, owner] = await Promise.all([registerAgent(api, 'bench hosted client'), registerAgent(api, 'bench hosted owner')]);
  const service = await publishService(api, owner, {
    name: 'bench hosted summaries',
    price_usd: '0.01',
    max_concurrent: 1000,
    hosted: { model: 'bench-model', system_prompt: 'Summarise the input.', temperature: 0, max_tokens: 64, token_budget: 4000 },
  });
  options.fake.reset();
  options.fake.setDefault({ kind: 'ok', latencyMs: options.modelLatencyMs });
  const ids: string[] = [];
  const hireBatch = 16;
  for (let start = 0; start < options.jobs; start += hireBatch) {
    const size = Math.min(hireBatch, options.jobs - start);
    const hired = await Promise.all(Array.from({ length: size }, () => hireService(api, client, service.id)));
    ids.push(...hired.map((job) => job.id));
  }
  const deadline = performance.now() + 600_000;
  let delivered = 0;
  let lastDeliveryAt = performance.now();
  while (delivered < options.jobs && performance.now() < deadline) {
    delivered = await countDelivered(api, client.key);
    lastDeliveryAt = performance.now();
    if (delivered < options.jobs) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const firstRequest = options.fake.requests[0]?.at ?? Date.now();
  // fake.requests[].at is wall-clock time: convert the last delivery to the same clock.
  const lastDeliveryWall = Date.now() - (performance.now() - lastDeliveryAt);
  const seconds = Math.max(0.001, (lastDeliveryWall - firstRequest) / 1000);
  const jobsPerSec = delivered / seconds;
  const boundJobsPerSec = options.concurrency / (options.modelLatencyMs / 1000);
  return {
    jobs: options.jobs,
    concurrency: options.concurrency,
    modelLatencyMs: options.modelLatencyMs,
    seconds,
    jobsPerSec,
    boundJobsPerSec,
    ratio: jobsPerSec / boundJobsPerSec,
    delivered,
  };
}

async function countDelivered(api: ReturnType<typeof apiClient>, key: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page: { body: { data: unknown[]; next_cursor: string | null } } = await api(
      'GET',
      `/api/jobs?role=client&status=delivered&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { key },
    );
    count += page.body.data.length;
    cursor = page.body.next_cursor;
  } while (cursor);
  return count;
}
