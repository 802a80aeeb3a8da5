import autocannon from 'autocannon';

export interface LoadOptions {
  name: string;
  baseUrl: string;
  /** Requests to cycle through, one per request, so no single cache entry serves everything. */
  requests: { path: string; headers?: Record<string, string> }[];
  durationS: number;
  warmupS: number;
  connections: number;
  /** Called once, halfway through the measured run (e.g. to sample RSS under load). */
  onMidRun?: () => Promise<void> | void;
}

export interface LoadResult {
  target: string;
  url: string;
  durationS: number;
  requestsTotal: number;
  reqPerSecMean: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

function cannon(options: LoadOptions, durationS: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: options.baseUrl,
    connections: options.connections,
    pipelining: 1,
    duration: durationS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const chosen = options.requests[next % options.requests.length];
          next += 1;
          return { ...request, path: chosen?.path ?? '/', headers: { ...request.headers, ...chosen?.headers } };
        },
      },
    ],
  });
}

/** A warm-up (JIT, connection pools, caches) whose figures are thrown away, then the measured run. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.requests.length === 0) throw new Error(`${options.name}: no requests to send`);
  if (options.warmupS > 0) await cannon(options, options.warmupS);

  let midRun: Promise<void> | undefined;
  const timer = options.onMidRun
    ? setTimeout(() => {
        midRun = Promise.resolve(options.onMidRun?.());
      }, (options.durationS * 1000) / 2)
    : undefined;
  let result: autocannon.Result;
  try {
    result = await cannon(options, options.durationS);
  } finally {
    clearTimeout(timer);
  }
  await midRun;

  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0;
  return {
    target: options.name,
    url: options.baseUrl,
    durationS: result.duration,
    requestsTotal: result.requests.total,
    reqPerSecMean: result.requests.mean,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.mean,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}
