import { readFile } from 'node:fs/promises';
import { readProcStat } from './proc-stat.ts';

export interface WatchedProcess {
  name: string;
  pid: number | undefined;
  /** Only for processes we write; third-party ones (nats-server) are shown without a target. */
  targetMb?: number;
  /** Shown for comparison (the bare Fastify server), left out of the stack's total. */
  reference?: boolean;
}

export interface RssSample {
  name: string;
  pid: number | null;
  rssMb: number | null;
  /**
   * Proportional set size: each shared page (the Node binary's code, ~55 MB in
   * every service) divided among the processes that map it. The sum of PSS is
   * what the stack really occupies; the sum of RSS counts shared pages once per process.
   */
  pssMb?: number | null;
  targetMb: number | null;
  reference?: boolean;
}

/** Resident set size from /proc, in kB; undefined if the process is gone (or not on Linux). */
export async function readRssKb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Proportional set size from /proc/<pid>/smaps_rollup, in kB; undefined if unreadable. */
export async function readPssKb(pid: number): Promise<number | undefined> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = /^Pss:\s+(\d+)\s+kB/m.exec(rollup);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const mb = (kb: number | undefined) => (kb === undefined ? null : Math.round((kb / 1024) * 10) / 10);

export async function sampleRss(processes: WatchedProcess[]): Promise<RssSample[]> {
  return Promise.all(
    processes.map(async (process) => {
      const [rssKb, pssKb] = process.pid === undefined ? [undefined, undefined] : await Promise.all([readRssKb(process.pid), readPssKb(process.pid)]);
      return {
        name: process.name,
        pid: process.pid ?? null,
        rssMb: mb(rssKb),
        pssMb: mb(pssKb),
        targetMb: process.targetMb ?? null,
        ...(process.reference ? { reference: true } : {}),
      };
    }),
  );
}

/** The sum over the stack's samples, references left out (a process that is gone counts nothing). */
export function totalMb(samples: RssSample[], field: 'rssMb' | 'pssMb'): number {
  return Math.round(samples.reduce((sum, sample) => sum + (sample.reference ? 0 : (sample[field] ?? 0)), 0) * 10) / 10;
}

export interface IdleWait {
  /** From the end of the load until the stack was called idle. */
  waitedMs: number;
  /** False when `maxMs` ran out first: the figures are then the last ones sampled. */
  settled: boolean;
  /** The stack's total RSS at each quiet poll, seconds after the load: how much V8 gave back, and when. */
  trace: { atS: number; rssMb: number }[];
}

async function cpuTicks(processes: WatchedProcess[]): Promise<number> {
  const stats = await Promise.all(processes.map((p) => (p.pid === undefined ? Promise.resolve(undefined) : readProcStat(p.pid))));
  return stats.reduce((sum, stat) => sum + (stat ? stat.utime + stat.stime : 0), 0);
}

/**
 * Waits until the stack is idle: its processes together use less than
 * `quietCpuShare` of a core (the backlog of projections and notifications a
 * load leaves behind is worked off), and then their total RSS has not fallen
 * for `steadyMs`. V8 gives memory back on its own only after several seconds
 * of low allocation (its memory reducer), so a fixed short wait would measure
 * the heap grown under load rather than what an idle stack keeps.
 */
export async function waitUntilIdle(
  processes: WatchedProcess[],
  options: { ticksPerSecond: number; steadyMs?: number; maxMs?: number; pollMs?: number; quietCpuShare?: number },
): Promise<IdleWait> {
  const steadyMs = options.steadyMs ?? 10_000;
  const maxMs = options.maxMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const quietCpuShare = options.quietCpuShare ?? 0.15;
  const started = Date.now();
  let ticks = await cpuTicks(processes);
  let quietSince: number | undefined;
  let lowestRssMb = Number.POSITIVE_INFINITY;
  let lowestAt = started;
  const trace: IdleWait['trace'] = [];
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const now = Date.now();
    const nextTicks = await cpuTicks(processes);
    const cpuShare = (nextTicks - ticks) / options.ticksPerSecond / (pollMs / 1000);
    ticks = nextTicks;
    if (cpuShare >= quietCpuShare) {
      quietSince = undefined;
      continue;
    }
    quietSince ??= now;
    const rssMb = totalMb(await sampleRss(processes), 'rssMb');
    trace.push({ atS: Math.round((now - started) / 1000), rssMb });
    // A drop of less than 1 MB is page-level noise, not memory given back.
    if (rssMb < lowestRssMb - 1) {
      lowestRssMb = rssMb;
      lowestAt = now;
    }
    if (now - quietSince >= steadyMs && now - lowestAt >= steadyMs) return { waitedMs: now - started, settled: true, trace };
  }
  return { waitedMs: Date.now() - started, settled: false, trace };
}
