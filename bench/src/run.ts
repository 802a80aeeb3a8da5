import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  apiClient,
  publishService,
  registerAgent,
  startFakeOpenAi,
  waitUntilDrained,
  type FakeOpenAi,
} from '@agentmarket/testing';
import { startBenchStack, type BenchStack } from './bench-stack.ts';
import { runExecutorLoad, type ExecutorResult } from './executor-load.ts';
import { formatSse, runSseLoad, type SseResult } from './sse-load.ts';
import { startBaseline, type BaselineProcess } from './baseline-process.ts';
import { runLoad, type LoadOptions, type LoadResult } from './load.ts';
import { sampleRss, waitUntilIdle, type RssSample, type WatchedProcess } from './rss.ts';
import { formatCost, formatLifecycles, formatLoad, formatRss, formatScaling, writeJson, type BenchReport, type ScalingReport } from './report.ts';
import { formatRecorded, readJson } from './recorded.ts';
import { costFigures, scalingEfficiency, type CostFigures, type CostSnapshot } from './cost.ts';
import { startCostProbe, DRIVER, HOST_OTHER, POSTGRES_BACKENDS, POSTGRES_OTHER, type CostProbe } from './cost-probe.ts';
import { pinProcesses, readAffinity, tasksetAvailable, type Pinning } from './pinning.ts';
import { leftBehind, type LeftBehind } from './left-behind.ts';
import { runLifecycles, type LifecyclePair, type LifecycleResult } from './lifecycle-load.ts';
import { runPgbench, type PgbenchResult } from './pgbench.ts';
import { recordedReport } from './results-file.ts';
import { measureEscrowRowCeiling } from './escrow-ceiling.ts';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const DURATION_S = positiveInt('BENCH_DURATION_S', 10);
const WARMUP_S = positiveInt('BENCH_WARMUP_S', 2);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 32);
const AGENTS = positiveInt('BENCH_AGENTS', 50);
const HOSTED_JOBS = positiveInt('BENCH_HOSTED_JOBS', 200);
// Each of the two pinned lifecycle runs (one CPU, two CPUs), after its own warm-up.
const PINNED_S = positiveInt('BENCH_PINNED_S', 15);
/** The escrow row's ceiling (after the pinned runs, unpinned): short, it is one statement on one row. */
const ESCROW_ROW_S = 5;
/** The longest the bench waits for the stack to work off a backlog (a run's leftovers) before it reports it and goes on. */
const DRAIN_WAIT_MS = 120_000;
const EXECUTOR_CONCURRENCY = 8;
// The SSE crowd: clients on one gateway (some of which stop reading), fed public events at a steady rate.
const SSE_CLIENTS = positiveInt('BENCH_SSE_CLIENTS', 2000);
const SSE_SLOW_CLIENTS = positiveInt('BENCH_SSE_SLOW', 20);
const SSE_EVENTS_PER_SEC = positiveInt('BENCH_SSE_RATE', 50);
/** The parts to run, `BENCH_TARGETS=lifecycles,executor` for instance; all of them by default. */
const ALL_TARGETS = ['http', 'lifecycles', 'pinned', 'executor', 'sse'] as const;
type Target = (typeof ALL_TARGETS)[number];
const TARGETS = selectedTargets(process.env.BENCH_TARGETS);

function selectedTargets(raw: string | undefined): Set<Target> {
  if (raw === undefined || raw.trim() === '') return new Set(ALL_TARGETS);
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(ALL_TARGETS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_TARGETS: unknown ${unknown.join(', ')}; choose from ${ALL_TARGETS.join(', ')}`);
  return new Set(names as Target[]);
}
/**
 * How the stack runs: `threads` (default), every service a worker thread of one host process, as `npm start`
 * runs them; `processes`, each its own child process, as before: the two can be compared in one session.
 */
const HOSTING = selectedHosting(process.env.BENCH_HOSTING);

function selectedHosting(raw: string | undefined): 'threads' | 'processes' {
  if (raw === undefined || raw === '' || raw === 'threads') return 'threads';
  if (raw === 'processes') return 'processes';
  throw new Error(`BENCH_HOSTING: unknown ${raw}; choose threads or processes`);
}

const MODEL_LATENCY_MS = 500;
const RATIO_TARGET = 0.25;
// Each k8s Deployment limits a process to 512Mi (infra/k8s): under load it must stay below three quarters of that.
const RSS_TARGET_MB = 384;
// The memory target: every process of ours plus nats-server, idle after the bench (Postgres apart).
const STACK_IDLE_TARGET_MB = 1024;
// This run's figures; the previous run's, read from the same file before it is overwritten, are printed beside them.
const RESULTS_FILE = fileURLToPath(new URL('../results/last.json', import.meta.url));
const RECORDED_FILE = fileURLToPath(new URL('../recorded-figures.json', import.meta.url));

const log = (line: string) => console.log(line);

let stack: BenchStack | undefined;
let baseline: BaselineProcess | undefined;
let fake: FakeOpenAi | undefined;
let probe: CostProbe | undefined;
let pinning: Pinning | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    // The Postgres server may be the machine's own: it must not stay pinned to one CPU.
    await pinning?.restore().catch((error: unknown) => console.error(`restoring CPU affinity failed: ${String(error)}`));
    await probe?.close();
    const results = await Promise.allSettled([baseline?.stop(), stack?.stop(), fake?.stop()]);
    for (const result of results) if (result.status === 'rejected') console.error(`cleanup failed: ${String(result.reason)}`);
  })();
  return cleaning;
}

// Ctrl-C must still stop the services and drop the private database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the stack...`);
    void cleanup().finally(() => process.exit(130));
  });
}

function stackProcesses(running: BenchStack): WatchedProcess[] {
  if (running.hostPid !== undefined) {
    // One process for every service: no per-process target (k8s still runs one process per service).
    return [{ name: `host: ${running.processes.size} service threads`, pid: running.hostPid }, { name: 'nats-server', pid: running.nats.pid }];
  }
  const ours = [...running.processes.values()].map((p) => ({ name: p.name, pid: p.pid, targetMb: RSS_TARGET_MB }));
  return [...ours, { name: 'nats-server', pid: running.nats.pid }];
}

/** With threads: each service's V8 heap inside the host (its share of the host's RSS), shown beside it, not added to the total. */
async function threadHeaps(running: BenchStack): Promise<RssSample[]> {
  if (running.hostPid === undefined) return [];
  const heaps = await Promise.all([...running.processes.entries()].map(async ([name, service]) => ({ name, heap: await service.heapStatistics() })));
  return heaps.map(({ name, heap }) => ({
    name: `  ${name} (V8 heap in the host)`,
    pid: null,
    rssMb: heap ? Math.round((heap.total_heap_size / 2 ** 20) * 10) / 10 : null,
    pssMb: null,
    targetMb: null,
    reference: true,
  }));
}

/** The bench's own process (the load generator, and with processes their supervisor), for comparison. */
const BENCH_REFERENCE: WatchedProcess = { name: 'bench (load generator, reference)', pid: process.pid, reference: true };

async function registerAgents(baseUrl: string, count: number): Promise<{ id: string; key: string }[]> {
  const api = apiClient(baseUrl);
  const ids: { id: string; key: string }[] = [];
  // A few at a time: enough to be quick, not so many that startup noise matters.
  const batch = 10;
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const agents = await Promise.all(Array.from({ length: size }, (_, i) => registerAgent(api, `bench-agent-${start + i}`, ['benchmarking'])));
    ids.push(...agents);
  }
  return ids;
}

/** One client/worker pair per concurrent lifecycle loop, each worker with its own service. */
async function lifecyclePairs(baseUrl: string, count: number): Promise<LifecyclePair[]> {
  const api = apiClient(baseUrl);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const [client, worker] = await Promise.all([registerAgent(api, `bench-client-${i}`), registerAgent(api, `bench-worker-${i}`)]);
      const service = await publishService(api, worker, { name: `bench service ${i}`, max_concurrent: 1000 });
      return { client, worker, serviceId: service.id };
    }),
  );
}

/** The Postgres server's maintenance database, for pgbench's scratch database. */
function adminUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/** The order the cost table lists processes in: the request path first, then the services, then the infrastructure. */
const COST_ORDER = ['gateway', 'identity', 'catalog', 'jobs', 'payments', 'messaging', 'reputation', 'executor', HOST_OTHER, 'nats-server', POSTGRES_BACKENDS, POSTGRES_OTHER, DRIVER];

async function main(): Promise<void> {
  const started = Date.now();
  const previous = await readJson<Partial<BenchReport>>(RESULTS_FILE);
  log(`AgentMarket bench: ${DURATION_S} s measured (+${WARMUP_S} s warm-up) per target, ${CONNECTIONS} connections, pipelining 1, ${os.availableParallelism()} CPUs, Node ${process.version}`);
  log(`services hosted as ${HOSTING} (BENCH_HOSTING=${HOSTING === 'threads' ? 'processes' : 'threads'} for the other way)`);

  log('starting the stack (private nats-server + database)...');
  const huge = '100000000';
  fake = await startFakeOpenAi({ latencyMs: MODEL_LATENCY_MS });
  stack = await startBenchStack(
    {
      // The test stacks poll for unconfirmed hires every 500 ms (their tests wait on it); an operator's market polls at
      // the service defaults, and so does the bench, so that its idle and per-lifecycle CPU are the ones operators pay.
      // Every client is granted $100,000: a fast run makes thousands of $10 lifecycles, and a client that ran dry would
      // count as failures (402) rather than throughput.
      env: {
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_KEY: huge,
        RATE_LIMIT_PER_IP: huge,
        HIRE_RECOVERY_POLL_MS: '5000',
        HIRE_RECOVERY_AFTER_SECONDS: '15',
        STARTER_GRANT_USD_CENTS: '10000000',
      },
      envFor: { executor: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'bench', EXECUTOR_CONCURRENCY: String(EXECUTOR_CONCURRENCY) } },
    },
    HOSTING,
  );
  log(`gateway on ${stack.gatewayUrl}; processes: ${[...stack.processes.keys()].join(', ')}`);

  try {
    probe = await startCostProbe(stack);
    if (probe.postmasterPid === undefined) log('Postgres does not run on this machine: its CPU is not measured, nor pinned');
  } catch (error) {
    log(`cost figures unavailable: ${(error as Error).message}`);
  }

  const agents = await registerAgents(stack.gatewayUrl, AGENTS);
  const ids = agents.map((agent) => agent.id);
  log(`registered ${ids.length} agents`);

  baseline = await startBaseline();
  log(`bare Fastify baseline on ${baseline.url} (pid ${baseline.pid})`);

  const underLoad: RssSample[] = [];
  const results: LoadResult[] = [];
  const load = async (name: string, baseUrl: string, requests: LoadOptions['requests'], onMidRun?: () => Promise<void>) => {
    log(`loading ${name}...`);
    results.push(await runLoad({ name, baseUrl, requests, durationS: DURATION_S, warmupS: WARMUP_S, connections: CONNECTIONS, onMidRun }));
  };

  const bareProcess = baseline;
  const running = stack;
  let ratio: BenchReport['ratio'] = { gatewayOverBare: null, uncachedOverBare: null, target: RATIO_TARGET };
  if (TARGETS.has('http')) {
    await load('bare-fastify', bareProcess.url, ids.map((id) => ({ path: `/agents/${id}` })), async () => {
      underLoad.push(...(await sampleRss([{ name: 'bare-fastify', pid: bareProcess.pid, reference: true }])));
    });

    await load('gateway', running.gatewayUrl, ids.map((id) => ({ path: `/api/agents/${id}` })), async () => {
      underLoad.push(...(await sampleRss(stackProcesses(running))));
    });

    // The same gateway on a read it cannot cache: key check (cached), then identity and Postgres every time.
    await load('gateway-uncached', running.gatewayUrl, agents.map((agent) => ({ path: '/api/agents/me', headers: { 'x-agent-key': agent.key } })));

    const [bare, gateway, uncached] = results;
    ratio = {
      gatewayOverBare: bare && gateway && bare.reqPerSecMean > 0 ? Math.round((gateway.reqPerSecMean / bare.reqPerSecMean) * 1000) / 1000 : null,
      uncachedOverBare: bare && uncached && bare.reqPerSecMean > 0 ? Math.round((uncached.reqPerSecMean / bare.reqPerSecMean) * 1000) / 1000 : null,
      target: RATIO_TARGET,
    };

    log('');
    log(formatLoad(results, ratio));
    if (gateway) {
      const codes = Object.entries(gateway.statusCodes).map(([code, count]) => `${code}: ${count}`).join(', ');
      log(`gateway non-2xx = ${gateway.non2xx}${gateway.non2xx === 0 ? ' (ok)' : ' (EXPECTED 0)'}; status codes: ${codes || 'none'}`);
    }
  }

  // Whole lifecycles (four state changes each, with inbox, activity and SSE fan-out behind them)
  // against the commit rate the same Postgres sustains right now.
  let pgbench: PgbenchResult | null = null;
  let lifecycles: LifecycleResult | null = null;
  let cost: CostFigures | null = null;
  let lifecyclesUnderLoad: RssSample[] = [];
  const needPairs = TARGETS.has('lifecycles') || TARGETS.has('pinned');
  const pairs = needPairs ? await lifecyclePairs(running.gatewayUrl, CONNECTIONS) : [];
  if (TARGETS.has('lifecycles')) {
    log('');
    log(`pgbench TPC-B, ${CONNECTIONS} clients...`);
    try {
      pgbench = await runPgbench({ adminUrl: adminUrlOf(running.databaseUrl), clients: CONNECTIONS, durationS: DURATION_S });
    } catch (error) {
      log(`pgbench unavailable (${(error as Error).message.split('\n')[0]}); install Debian's postgresql-client for the baseline`);
    }
    log(`lifecycles through the gateway, concurrency ${CONNECTIONS}...`);
    const sampler = setTimeout(() => {
      void sampleRss(stackProcesses(running)).then((samples) => (lifecyclesUnderLoad = samples));
    }, (WARMUP_S + DURATION_S / 2) * 1000);
    const costProbe = probe;
    const snapshots: { start?: CostSnapshot; end?: CostSnapshot } = {};
    const measured = await runLifecycles({
      baseUrl: running.gatewayUrl,
      pairs,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      probe: costProbe && {
        start: async () => void (snapshots.start = await costProbe.snapshot()),
        end: async () => void (snapshots.end = await costProbe.snapshot()),
      },
    });
    clearTimeout(sampler);
    // The work the window left behind is the lifecycles' too: its time and CPU are counted (see left-behind.ts).
    const behind = await workOffLeftBehind(running, measured);
    lifecycles = { ...measured, leftBehind: behind };
    const costEnd = costProbe ? await costProbe.snapshot() : undefined;
    if (costProbe && snapshots.start && costEnd) {
      cost = costFigures({ start: snapshots.start, end: costEnd, lifecycles: measured.lifecycles, ticksPerSecond: costProbe.ticksPerSecond, groupOrder: COST_ORDER });
    }
    log('');
    log(formatLifecycles(lifecycles, pgbench));
    log(await formatRecorded(RECORDED_FILE, RESULTS_FILE));
    if (cost) {
      log('');
      log(formatCost(cost, previous));
    }
  }

  const scaling = probe && TARGETS.has('pinned') ? await runPinned(running, probe, pairs, previous?.scaling) : null;

  let executor: ExecutorResult | null = null;
  if (TARGETS.has('executor')) {
    log('');
    await settleBefore(running, 'the executor run');
    log(`hosted jobs through the executor: ${HOSTED_JOBS} jobs, concurrency ${EXECUTOR_CONCURRENCY}, model latency ${MODEL_LATENCY_MS} ms (fake OpenAI server)...`);
    executor = await runExecutorLoad({
      baseUrl: running.gatewayUrl,
      fake,
      jobs: HOSTED_JOBS,
      concurrency: EXECUTOR_CONCURRENCY,
      modelLatencyMs: MODEL_LATENCY_MS,
    });
    log(
      `  ${executor.delivered}/${executor.jobs} delivered in ${executor.seconds.toFixed(1)} s = ${executor.jobsPerSec.toFixed(2)} jobs/s; ` +
        `bound ${EXECUTOR_CONCURRENCY} / ${MODEL_LATENCY_MS / 1000} s = ${executor.boundJobsPerSec.toFixed(2)} jobs/s; ratio ${executor.ratio.toFixed(3)} (target ≥ 0.9)`,
    );
  }

  let sse: SseResult | null = null;
  if (TARGETS.has('sse')) {
    log('');
    await settleBefore(running, 'the SSE run');
    log(`SSE: ${SSE_CLIENTS} clients on one gateway, ${SSE_EVENTS_PER_SEC} public events/s...`);
    sse = await runSseLoad({
      baseUrl: running.gatewayUrl,
      nats: { url: running.natsUrl, auth: running.natsAuth },
      gatewayPid: running.processes.get('gateway')?.pid,
      clients: SSE_CLIENTS,
      slowClients: SSE_SLOW_CLIENTS,
      clientProcesses: 2,
      eventsPerSec: SSE_EVENTS_PER_SEC,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      ticksPerSecond: probe?.ticksPerSecond ?? 100,
      log,
    });
    log(formatSse(sse, (previous as { sse?: SseResult | null } | undefined)?.sse));
  }

  // Idle: the backlog worked off and V8 given back what it will (see waitUntilIdle), not a fixed few seconds.
  const idleWait = await waitUntilIdle(stackProcesses(running), { ticksPerSecond: probe?.ticksPerSecond ?? 100 });
  const idle = await sampleRss([...stackProcesses(running), BENCH_REFERENCE, { name: 'bare-fastify (reference)', pid: bareProcess.pid, reference: true }]);
  idle.push(...(await threadHeaps(running)));
  log('');
  const idleTitle = `idle RSS (${(idleWait.waitedMs / 1000).toFixed(0)} s after load${idleWait.settled ? ', once CPU and RSS settled' : ', NOT settled'})`;
  log(formatRss(idleTitle, idle, STACK_IDLE_TARGET_MB));
  log(`whole stack RSS while settling: ${idleWait.trace.map((point) => `${point.atS} s ${point.rssMb.toFixed(0)}`).join(', ') || 'never quiet'} (MB)`);
  log('');
  log(formatRss('RSS under load (sampled mid-run)', underLoad));
  log('');
  log(formatRss('RSS during lifecycles (sampled mid-run)', lifecyclesUnderLoad));

  const report: BenchReport = {
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: os.availableParallelism(),
    settings: { durationS: DURATION_S, warmupS: WARMUP_S, connections: CONNECTIONS, pipelining: 1, agents: ids.length, hosting: HOSTING },
    load: results,
    ratio,
    lifecycles,
    pgbench,
    executor,
    rss: { idle, idleWaitS: Math.round(idleWait.waitedMs / 1000), underLoad, lifecycles: lifecyclesUnderLoad },
    cost,
    scaling,
  };
  // The SSE figures ride along in the same file; the parts of targets this run left out keep their last figures.
  await writeJson(RESULTS_FILE, recordedReport({ ...report, sse }, previous));
  log('');
  log(`results written to ${RESULTS_FILE} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

/** An earlier target's backlog is worked off first: each target is measured on its own load, not on the last one's leftovers. */
async function settleBefore(running: BenchStack, what: string): Promise<void> {
  const drain = await waitUntilDrained(running, { timeoutMs: DRAIN_WAIT_MS }).catch((error: unknown) => {
    log(`  not drained before ${what}: ${(error as Error).message}`);
    return null;
  });
  if (drain && drain.backlogAtStart > 0) log(`  before ${what}: ${drain.backlogAtStart} messages left by the earlier targets, worked off in ${(drain.drainedAfterMs / 1000).toFixed(1)} s`);
}

/** Waits until the stack has worked off what a lifecycle run left behind; null (and a line saying so) when it did not within DRAIN_WAIT_MS. */
async function workOffLeftBehind(running: BenchStack, result: LifecycleResult): Promise<LeftBehind | null> {
  try {
    const drain = await waitUntilDrained(running, { timeoutMs: DRAIN_WAIT_MS });
    return leftBehind(result.lifecycles, result.lifecycles / result.lifecyclesPerSec, drain);
  } catch (error) {
    log(`  the work left behind was not done within ${DRAIN_WAIT_MS / 1000} s: ${(error as Error).message}`);
    return null;
  }
}

/**
 * The lifecycle load again with every process of the stack (ours, nats-server,
 * every Postgres process) and this load generator pinned to CPU 0, then to
 * CPUs 0 and 1: a serial bottleneck shows as a second CPU that adds little.
 */
async function runPinned(running: BenchStack, costProbe: CostProbe, pairs: LifecyclePair[], previous: ScalingReport | null | undefined): Promise<ScalingReport | null> {
  const cpuCount = os.availableParallelism();
  if (cpuCount < 2 || !(await tasksetAvailable())) {
    log('');
    log(`pinned runs skipped (${cpuCount < 2 ? 'one CPU' : 'taskset not installed (util-linux)'})`);
    return null;
  }
  const ownAffinity = (await readAffinity(process.pid)) ?? `0-${cpuCount - 1}`;
  const pids = async () => [...(await costProbe.stackPids()), { name: 'bench', pid: process.pid }];
  const runs: ScalingReport['runs'] = [];
  for (const cpus of ['0', '0,1']) {
    log('');
    log(`lifecycles with the stack pinned to CPU ${cpus}...`);
    // The previous run's backlog (projections, notifications) must not be worked on this run's CPUs and clock.
    await settleBefore(running, `the run pinned to CPU ${cpus}`);
    pinning = await pinProcesses(pids, cpus, ownAffinity);
    try {
      const edges: { start?: CostSnapshot; end?: CostSnapshot } = {};
      const result = await runLifecycles({
        baseUrl: running.gatewayUrl,
        pairs,
        durationS: PINNED_S,
        warmupS: WARMUP_S,
        probe: {
          start: async () => void (edges.start = await costProbe.snapshot()),
          end: async () => void (edges.end = await costProbe.snapshot()),
        },
      });
      // Worked off while still pinned: it is this configuration's work.
      const behind = await workOffLeftBehind(running, result);
      const end = await costProbe.snapshot();
      const cost = edges.start ? costFigures({ start: edges.start, end, lifecycles: result.lifecycles, ticksPerSecond: costProbe.ticksPerSecond, groupOrder: COST_ORDER }) : null;
      if (cost) log(`  CPU ms per lifecycle by process: ${cost.cpuMsPerLifecycle.map((entry) => `${entry.name} ${entry.ms.toFixed(1)}`).join(', ')}`);
      runs.push({
        cpus,
        cpuCount: cpus.split(',').length,
        lifecyclesPerSec: result.lifecyclesPerSec,
        leftBehind: behind,
        lifecycles: result.lifecycles,
        failures: result.failures,
        firstFailure: result.firstFailure,
        cpuMsPerLifecycle: cost?.totalCpuMsPerLifecycle ?? null,
        coresBusy: cost?.coresBusy ?? null,
        notPinned: pinning.failed,
      });
    } finally {
      await pinning.restore();
      pinning = undefined;
    }
  }
  const one = runs.find((run) => run.cpuCount === 1);
  const two = runs.find((run) => run.cpuCount === 2);
  // On the rates sustained with nothing left behind: a run that left more undone would otherwise look faster.
  const rate = (run: ScalingReport['runs'][number]) => run.leftBehind?.sustainedPerSec ?? run.lifecyclesPerSec;
  log('');
  log(`the escrow row's ceiling: hold-shaped statements through one row, pgbench, ${CONNECTIONS} clients...`);
  const escrowRow = await measureEscrowRowCeiling({ adminUrl: adminUrlOf(running.databaseUrl), clients: CONNECTIONS, durationS: ESCROW_ROW_S }).catch((error: unknown) => {
    log(`  pgbench unavailable (${(error as Error).message.split('\n')[0]})`);
    return null;
  });
  const scaling: ScalingReport = { durationS: PINNED_S, runs, efficiency: one && two ? scalingEfficiency(rate(one), rate(two), 2) : null, escrowRow };
  log('');
  log(formatScaling(scaling, previous));
  return scaling;
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (stack) console.error(stack.output.slice(-30).join('\n'));
  process.exitCode = 1;
} finally {
  await cleanup();
}
// Keep-alive sockets from autocannon or fetch must not keep the bench alive once everything is stopped.
process.exit(process.exitCode ?? 0);
