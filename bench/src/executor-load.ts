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
  let delivered = { count: 0, lastAtMs: Date.now() };
  while (delivered.count < options.jobs && performance.now() < deadline) {
    delivered = await countDelivered(api, client.key);
    if (delivered.count < options.jobs) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const firstRequest = options.fake.requests[0]?.at ?? Date.now();
  // The last delivery as the jobs service recorded it (delivered_at, wall-clock like fake.requests[].at), not when
  // this poll noticed it: the polling interval and the listing's own time are not the executor's.
  const seconds = Math.max(0.001, (delivered.lastAtMs - firstRequest) / 1000);
  const jobsPerSec = delivered.count / seconds;
  const boundJobsPerSec = options.concurrency / (options.modelLatencyMs / 1000);
  return {
    jobs: options.jobs,
    concurrency: options.concurrency,
    modelLatencyMs: options.modelLatencyMs,
    seconds,
    jobsPerSec,
    boundJobsPerSec,
    ratio: jobsPerSec / boundJobsPerSec,
    delivered: delivered.count,
  };
}

/** How many of the client's jobs are delivered, and when the last of them was. */
async function countDelivered(api: ReturnType<typeof apiClient>, key: string): Promise<{ count: number; lastAtMs: number }> {
  let count = 0;
  let lastAtMs = 0;
  let cursor: string | null = null;
  do {
    const page: { body: { data: { delivered_at: string | null }[]; next_cursor: string | null } } = await api(
      'GET',
      `/api/jobs?role=client&status=delivered&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { key },
    );
    count += page.body.data.length;
    for (const job of page.body.data) if (job.delivered_at) lastAtMs = Math.max(lastAtMs, Date.parse(job.delivered_at));
    cursor = page.body.next_cursor;
  } while (cursor);
  return { count, lastAtMs };
}
