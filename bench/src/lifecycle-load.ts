import type { LeftBehind } from './left-behind.ts';
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from './latency.ts';

export interface LifecyclePair {
  client: { id: string; key: string };
  worker: { id: string; key: string };
  serviceId: string;
}

export interface LifecycleResult {
  concurrency: number;
  durationS: number;
  lifecycles: number;
  lifecyclesPerSec: number;
  callsPerSec: number;
  failures: number;
  firstFailure: string | null;
  calls: { name: string; count: number; p50Ms: number; p99Ms: number }[];
  /** Set by the bench once it has waited for the asynchronous work the run left (absent in older results; null when it was not done in time). */
  leftBehind?: LeftBehind | null;
}

const STEPS = [
  { name: 'hire', by: 'client' },
  { name: 'start', by: 'worker', body: undefined },
  { name: 'deliver', by: 'worker', body: { artifact_type: 'text', content: 'benchmark result' } },
  { name: 'complete', by: 'client', body: { rating: 5 } },
] as const;

/** Called at the edges of the measured window: `start` (awaited) just before it opens, `end` as it closes. */
export interface WindowProbe {
  start(): Promise<void>;
  end(): Promise<void>;
}

/**
 * Full job lifecycles (hire, start, deliver, complete) through the gateway:
 * `concurrency` loops, each on its own client/worker pair, for `durationS`.
 * Only lifecycles that finish inside the window count. `probe.end` runs at
 * the deadline, while the last lifecycles are still in flight, so what it
 * measures is the steady state the counted lifecycles ran in.
 */
export async function runLifecycles(options: {
  baseUrl: string;
  pairs: LifecyclePair[];
  durationS: number;
  warmupS: number;
  probe?: WindowProbe;
}): Promise<LifecycleResult> {
  const run = async (seconds: number, recorder: LatencyRecorder, probe?: WindowProbe) => {
    const deadline = performance.now() + seconds * 1000;
    let ended: Promise<void> | undefined;
    const timer = probe ? setTimeout(() => (ended = probe.end()), seconds * 1000) : undefined;
    let lifecycles = 0;
    let failures = 0;
    let firstFailure: string | null = null;
    await Promise.all(
      options.pairs.map(async (pair) => {
        while (performance.now() < deadline) {
          try {
            await oneLifecycle(options.baseUrl, pair, recorder);
            if (performance.now() <= deadline) lifecycles++;
          } catch (error) {
            failures++;
            firstFailure ??= (error as Error).message;
          }
        }
      }),
    );
    clearTimeout(timer);
    // A probe whose timer has not fired (every loop failed fast to the deadline) still ends.
    if (probe) await (ended ?? probe.end());
    return { lifecycles, failures, firstFailure };
  };
  if (options.warmupS > 0) await run(options.warmupS, new LatencyRecorder());
  const recorder = new LatencyRecorder();
  await options.probe?.start();
  const started = performance.now();
  const outcome = await run(options.durationS, recorder, options.probe);
  const elapsedS = (performance.now() - started) / 1000;
  return {
    concurrency: options.pairs.length,
    durationS: options.durationS,
    lifecycles: outcome.lifecycles,
    lifecyclesPerSec: outcome.lifecycles / elapsedS,
    callsPerSec: (outcome.lifecycles * STEPS.length) / elapsedS,
    failures: outcome.failures,
    firstFailure: outcome.firstFailure,
    calls: recorder.summary(),
  };
}

async function oneLifecycle(baseUrl: string, pair: LifecyclePair, recorder: LatencyRecorder): Promise<void> {
  let jobId = '';
  for (const step of STEPS) {
    const key = step.by === 'client' ? pair.client.key : pair.worker.key;
    const [path, body] =
      step.name === 'hire'
        ? ['/api/jobs', { service_id: pair.serviceId, input_data: { text: 'bench' } }]
        : [`/api/jobs/${jobId}/${step.name}`, step.body];
    const began = performance.now();
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'x-agent-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    recorder.record(step.name, performance.now() - began);
    if (response.status !== (step.name === 'hire' ? 201 : 200)) throw new Error(`${step.name}: ${response.status} ${text.slice(0, 200)}`);
    if (step.name === 'hire') jobId = (JSON.parse(text) as { id: string }).id;
  }
}
