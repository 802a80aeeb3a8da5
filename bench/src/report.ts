import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LifecycleResult } from './lifecycle-load.ts';
import type { LoadResult } from './load.ts';
import type { PgbenchResult } from './pgbench.ts';
import type { ExecutorResult } from './executor-load.ts';
import type { RssSample } from './rss.ts';

export interface BenchReport {
  finishedAt: string;
  node: string;
  cpus: number;
  settings: { durationS: number; warmupS: number; connections: number; pipelining: number; agents: number };
  load: LoadResult[];
  ratio: { gatewayOverBare: number | null; uncachedOverBare: number | null; target: number };
  lifecycles: LifecycleResult;
  pgbench: PgbenchResult | null;
  executor: ExecutorResult;
  rss: { idle: RssSample[]; underLoad: RssSample[]; lifecycles: RssSample[] };
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

export function formatRss(title: string, samples: RssSample[]): string {
  const rows = samples.map((sample) => [
    sample.name,
    sample.pid === null ? '-' : String(sample.pid),
    sample.rssMb === null ? 'n/a' : fixed(sample.rssMb, 1),
    sample.targetMb === null ? '' : `target < ${sample.targetMb} MB`,
  ]);
  return `${title}\n${table(['process', 'pid', 'RSS MB', ''], rows)}`;
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
    '',
    table(['call', 'count', 'p50 ms', 'p99 ms'], rows),
  ];
  return lines.join('\n');
}
