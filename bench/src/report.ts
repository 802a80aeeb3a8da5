import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LifecycleResult } from './lifecycle-load.ts';
import type { LoadResult } from './load.ts';
import type { PgbenchResult } from './pgbench.ts';
import type { ExecutorResult } from './executor-load.ts';
import { totalMb, type RssSample } from './rss.ts';
import type { CostFigures } from './cost.ts';
import type { LeftBehind } from './left-behind.ts';

export interface BenchReport {
  finishedAt: string;
  node: string;
  cpus: number;
  /** hosting: the services as worker threads of the bench or as processes of their own (absent in runs from before either). */
  settings: { durationS: number; warmupS: number; connections: number; pipelining: number; agents: number; hosting?: 'threads' | 'processes' };
  load: LoadResult[];
  ratio: { gatewayOverBare: number | null; uncachedOverBare: number | null; target: number };
  /** null when BENCH_TARGETS left the part out. */
  lifecycles: LifecycleResult | null;
  pgbench: PgbenchResult | null;
  executor: ExecutorResult | null;
  /** idleWaitS: how long after the load `idle` was sampled (until CPU and RSS settled). */
  rss: { idle: RssSample[]; idleWaitS?: number; underLoad: RssSample[]; lifecycles: RssSample[] };
  /** Where the lifecycle run's time went (CPU by process, transactions, messages); null where /proc is not readable. */
  cost: CostFigures | null;
  scaling: ScalingReport | null;
}

/** The lifecycle load with the whole stack (and the load generator) pinned to one CPU, then to two. */
export interface ScalingReport {
  durationS: number;
  runs: {
    cpus: string;
    cpuCount: number;
    lifecyclesPerSec: number;
    /** What the run left undone and the rate counting the time to do it (absent in older results). */
    leftBehind?: LeftBehind | null;
    lifecycles: number;
    failures: number;
    /** What the first failed call answered, when any failed. */
    firstFailure?: string | null;
    /** The stack's CPU ms per lifecycle in this run and the cores kept busy: what a CPU more or less changes in the cost. */
    cpuMsPerLifecycle: number | null;
    coresBusy: number | null;
    notPinned: string[];
  }[];
  /** lifecycles/s on two CPUs / (2 × lifecycles/s on one). */
  efficiency: number | null;
  /** The most hold-shaped statements per second through one escrow row (see escrow-ceiling.ts); null without pgbench, absent in older results. */
  escrowRow?: PgbenchResult | null;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function formatLoad(results: LoadResult[], ratio: BenchReport['ratio']): string {
  const rows = results.map((result) => [
    result.target,
    fixed(result.reqPerSecMean, 0),
    fixed(result.latencyP50Ms, 0),
    fixed(result.latencyP99Ms, 0),
    String(result.non2xx),
    String(result.errors),
  ]);
  const ratioLine =
    ratio.gatewayOverBare === null
      ? `ratio gateway/bare = n/a (target ≥ ${ratio.target})`
      : `ratio gateway/bare = ${ratio.gatewayOverBare.toFixed(2)} (target ≥ ${ratio.target})`;
  const uncachedLine = `ratio gateway-uncached/bare = ${ratio.uncachedOverBare === null ? 'n/a' : ratio.uncachedOverBare.toFixed(2)} (every request crosses NATS to identity and Postgres)`;
  // autocannon records latency in whole milliseconds: decimals would be noise.
  return `${table(['target', 'req/s (mean)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'], rows)}\n\n${ratioLine}\n${uncachedLine}`;
}

/** Per process, then the whole stack's total (references left out) against `totalTargetMb` when given. */
export function formatRss(title: string, samples: RssSample[], totalTargetMb?: number): string {
  const mbCell = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : fixed(value, 1));
  const rows = samples.map((sample) => [
    sample.name,
    sample.pid === null ? '-' : String(sample.pid),
    mbCell(sample.rssMb),
    mbCell(sample.pssMb),
    sample.targetMb === null ? '' : `target < ${sample.targetMb} MB`,
  ]);
  if (samples.length > 0) {
    const rss = totalMb(samples, 'rssMb');
    const verdict = totalTargetMb === undefined ? '' : `target < ${totalTargetMb} MB${rss < totalTargetMb ? ' (ok)' : ' (OVER)'}`;
    rows.push(['whole stack (ours + nats-server)', '', fixed(rss, 1), fixed(totalMb(samples, 'pssMb'), 1), verdict]);
  }
  return `${title}\n${table(['process', 'pid', 'RSS MB', 'PSS MB', ''], rows)}`;
}

export async function writeJson(file: string, report: BenchReport): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

export function formatLifecycles(result: LifecycleResult, pgbench: PgbenchResult | null): string {
  const rows = result.calls.map((call) => [call.name, String(call.count), fixed(call.p50Ms, 1), fixed(call.p99Ms, 1)]);
  const transitionsPerSec = result.callsPerSec;
  const lines = [
    `lifecycles (hire → start → deliver → complete), concurrency ${result.concurrency}, ${result.durationS} s`,
    `  ${fixed(result.lifecyclesPerSec, 1)} lifecycles/s = ${fixed(transitionsPerSec, 0)} state changes/s; failures ${result.failures}${result.firstFailure ? ` (first: ${result.firstFailure})` : ''}`,
    pgbench
      ? `  pgbench TPC-B on the same Postgres: ${fixed(pgbench.tps, 0)} tps (${pgbench.clients} clients); ratio state changes / TPC-B tps = ${fixed(transitionsPerSec / pgbench.tps, 3)}`
      : '  pgbench TPC-B: n/a',
    ...(result.leftBehind ? [formatLeftBehind(result.leftBehind, result, pgbench)] : []),
    '',
    table(['call', 'count', 'p50 ms', 'p99 ms'], rows),
  ];
  return lines.join('\n');
}

function formatLeftBehind(behind: LeftBehind, result: LifecycleResult, pgbench: PgbenchResult | null): string {
  // State changes per lifecycle as the window counted them, so both ratios are on the same footing.
  const changesPerLifecycle = result.callsPerSec / result.lifecyclesPerSec;
  const ratio = pgbench ? `, ratio to TPC-B ${fixed((behind.sustainedPerSec * changesPerLifecycle) / pgbench.tps, 3)}` : '';
  return (
    `  left undone when the window closed: ${behind.messages} messages (outbox rows, consumer backlog), worked off in ${fixed(behind.drainS, 1)} s; ` +
    `counting that time ${fixed(behind.sustainedPerSec, 1)} lifecycles/s${ratio} (${fixed((behind.sustainedPerSec / result.lifecyclesPerSec) * 100, 0)}% of the window's rate)`
  );
}

const change = (now: number | null | undefined, before: number | null | undefined): string => {
  if (now === null || now === undefined || before === null || before === undefined || !Number.isFinite(now) || !Number.isFinite(before) || before === 0) return '';
  const percent = Math.round(((now - before) / before) * 100);
  return percent === 0 ? '0%' : `${percent > 0 ? '+' : ''}${percent}%`;
};

/** The lifecycle run's cost per lifecycle, beside the previous run's (`previous` may be absent or from an older bench). */
export function formatCost(cost: CostFigures, previous: { finishedAt?: string; cost?: CostFigures | null } | undefined): string {
  const before = previous?.cost ?? undefined;
  const previousMs = new Map(before?.cpuMsPerLifecycle.map((entry) => [entry.name, entry.ms]) ?? []);
  const prev = (value: number | null | undefined) => (value === null || value === undefined ? '-' : fixed(value, 1));
  const rows: string[][] = [];
  for (const entry of cost.cpuMsPerLifecycle.filter((e) => !e.outsideStack)) {
    rows.push([entry.name, fixed(entry.ms, 1), prev(previousMs.get(entry.name)), change(entry.ms, previousMs.get(entry.name))]);
  }
  rows.push(['total (stack)', fixed(cost.totalCpuMsPerLifecycle, 1), prev(before?.totalCpuMsPerLifecycle), change(cost.totalCpuMsPerLifecycle, before?.totalCpuMsPerLifecycle)]);
  for (const entry of cost.cpuMsPerLifecycle.filter((e) => e.outsideStack)) {
    rows.push([entry.name, fixed(entry.ms, 1), prev(previousMs.get(entry.name)), change(entry.ms, previousMs.get(entry.name))]);
  }
  const perLifecycle: string[][] = [
    ['transactions committed', cost.xactsPerLifecycle === null ? 'n/a' : fixed(cost.xactsPerLifecycle, 1), prev(before?.xactsPerLifecycle), change(cost.xactsPerLifecycle, before?.xactsPerLifecycle)],
    // Streams that carried nothing in either run (the KV buckets of idempotency keys and rate limits, the dead letters) are left out.
    ...Object.entries(cost.messagesPerLifecycle)
      .filter(([stream, value]) => stream === 'EVENTS' || value > 0 || (before?.messagesPerLifecycle[stream] ?? 0) > 0)
      .map(([stream, value]) => [
      `${stream} messages${stream === 'EVENTS' ? ' (events)' : ''}`,
      fixed(value, 1),
      prev(before?.messagesPerLifecycle[stream]),
      change(value, before?.messagesPerLifecycle[stream]),
    ]),
  ];
  const previousLabel = before ? `previous (${previous?.finishedAt ?? '?'})` : 'previous (none)';
  return [
    `where a lifecycle's time goes: ${cost.lifecycles} lifecycles completed in the window, CPU counted until the work they left was done (${fixed(cost.windowS, 1)} s); ${fixed(cost.coresBusy, 2)} cores busy on average (load generator included)`,
    table(['CPU ms per lifecycle', 'this run', previousLabel, 'change'], rows),
    '',
    table(['per lifecycle', 'this run', previousLabel, 'change'], perLifecycle),
  ].join('\n');
}

export function formatScaling(scaling: ScalingReport, previous: ScalingReport | null | undefined): string {
  const rows = scaling.runs.map((run) => {
    const before = previous?.runs.find((p) => p.cpus === run.cpus);
    return [
      `pinned to CPU ${run.cpus}`,
      fixed(run.lifecyclesPerSec, 1),
      run.leftBehind ? String(run.leftBehind.messages) : 'n/a',
      run.leftBehind ? fixed(run.leftBehind.drainS, 1) : 'n/a',
      run.leftBehind ? fixed(run.leftBehind.sustainedPerSec, 1) : 'n/a',
      String(run.lifecycles),
      String(run.failures),
      run.cpuMsPerLifecycle === null ? 'n/a' : fixed(run.cpuMsPerLifecycle, 1),
      run.coresBusy === null ? 'n/a' : fixed(run.coresBusy, 2),
      before ? fixed(before.lifecyclesPerSec, 1) : '-',
      run.notPinned.length > 0 ? `not pinned: ${run.notPinned.join(', ')}` : '',
    ];
  });
  const efficiency = scaling.efficiency === null ? 'n/a' : fixed(scaling.efficiency, 2);
  const previousEfficiency = previous?.efficiency === null || previous?.efficiency === undefined ? '' : ` (previous run ${fixed(previous.efficiency, 2)})`;
  return [
    `lifecycles with the whole stack and the load generator pinned (taskset), ${scaling.durationS} s each`,
    table(['stack', 'lifecycles/s', 'left undone', 'worked off s', 'sustained/s', 'count', 'failures', 'CPU ms/lifecycle', 'cores busy', 'previous lifecycles/s', ''], rows),
    ...scaling.runs.filter((run) => run.firstFailure).map((run) => `  first failure pinned to CPU ${run.cpus}: ${run.firstFailure}`),
    '  (lifecycles/s: in the window; left undone: messages the window left for the consumers and relays; sustained: counting the time to work them off; CPU: until they were)',
    `scaling efficiency sustained lifecycles/s on 2 CPUs / (2 × on 1) = ${efficiency}${previousEfficiency} (1.0: CPU-bound, every core turns into throughput; 0.5: a serial bottleneck)`,
    formatEscrowRow(scaling),
  ].join('\n');
}

/** The one serial point of a lifecycle, the escrow row of its currency, and how much of its ceiling the 2-CPU run took. */
function formatEscrowRow(scaling: ScalingReport): string {
  const head = 'serial point: the escrow account row of a currency (every hold updates it in one statement, its lock held until that commits; settlements take it once per batch)';
  if (!scaling.escrowRow) return `${head}; its ceiling: n/a (pgbench unavailable)`;
  const ceiling = scaling.escrowRow.tps;
  const widest = scaling.runs.reduce((best, run) => Math.max(best, run.lifecyclesPerSec), 0);
  const used = widest > 0 ? `; the fastest pinned run placed ${fixed(widest, 1)} holds/s, ${fixed((100 * widest) / ceiling, 1)} % of it` : '';
  return `${head}\n  its ceiling on this Postgres: ${fixed(ceiling, 0)} hold-shaped statements/s through one row (pgbench, ${scaling.escrowRow.clients} clients) = ${fixed(ceiling, 0)} lifecycles/s per currency${used}`;
}
