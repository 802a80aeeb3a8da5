/**
 * Where the time of a lifecycle goes: the pure arithmetic of the bench's
 * cost figures, from two snapshots taken at the edges of the measured window.
 */

/** One process's CPU time at one instant. */
export interface CpuSample {
  /** Who the CPU is reported under: `gateway`, `jobs`, `postgres backends`... (several processes may share one). */
  group: string;
  /** Tells one process from another: `pid:starttime`, so a reused pid is a new process. */
  key: string;
  /** utime + stime (+ cutime + cstime where exited children are to count), in clock ticks. */
  ticks: number;
  /** Not part of the stack (the bench's own load generator): shown, but left out of the stack's total. */
  outsideStack?: boolean;
}

export interface CostSnapshot {
  atMs: number;
  cpu: CpuSample[];
  /** pg_stat_database.xact_commit of the stack's database; null when unreadable. */
  xactCommit: number | null;
  /** last_seq of each JetStream stream. */
  streamSeqs: Record<string, number>;
}

export interface CostFigures {
  lifecycles: number;
  windowS: number;
  /** By group, in the order of the groups given, then any other group; ms of CPU per completed lifecycle. */
  cpuMsPerLifecycle: { name: string; ms: number; outsideStack: boolean }[];
  /** The stack's processes only (not the load generator). */
  totalCpuMsPerLifecycle: number;
  /** Average cores every measured process (load generator included) kept busy over the window. */
  coresBusy: number;
  xactsPerLifecycle: number | null;
  /** Messages stored per lifecycle, by stream (EVENTS: the events of a lifecycle). */
  messagesPerLifecycle: Record<string, number>;
}

export const ticksToMs = (ticks: number, ticksPerSecond: number): number => (ticks * 1000) / ticksPerSecond;

/** A figure of the window spread over the lifecycles it completed; NaN when none completed. */
export const perLifecycle = (value: number, lifecycles: number): number => (lifecycles > 0 ? value / lifecycles : Number.NaN);

/**
 * CPU each group used between the snapshots, in ticks. A process in `end`
 * but not in `start` started inside the window and counts from zero; one in
 * `start` but not in `end` exited and its last slice is lost (the Postgres
 * server's sample counts its exited children through cutime/cstime).
 */
export function cpuTicksByGroup(start: CpuSample[], end: CpuSample[]): Map<string, number> {
  const before = new Map(start.map((sample) => [sample.key, sample.ticks]));
  const byGroup = new Map<string, number>();
  for (const sample of end) {
    const delta = Math.max(0, sample.ticks - (before.get(sample.key) ?? 0));
    byGroup.set(sample.group, (byGroup.get(sample.group) ?? 0) + delta);
  }
  return byGroup;
}

export function costFigures(options: { start: CostSnapshot; end: CostSnapshot; lifecycles: number; ticksPerSecond: number; groupOrder?: string[] }): CostFigures {
  const { start, end, lifecycles, ticksPerSecond } = options;
  const byGroup = cpuTicksByGroup(start.cpu, end.cpu);
  const outside = new Set(end.cpu.filter((sample) => sample.outsideStack).map((sample) => sample.group));
  const order = [...(options.groupOrder ?? []), ...[...byGroup.keys()].filter((name) => !options.groupOrder?.includes(name)).sort()];
  const cpuMsPerLifecycle = order
    .filter((name) => byGroup.has(name))
    .map((name) => ({ name, ms: perLifecycle(ticksToMs(byGroup.get(name) ?? 0, ticksPerSecond), lifecycles), outsideStack: outside.has(name) }));
  const sum = (names: string[]) => ticksToMs(names.reduce((total, name) => total + (byGroup.get(name) ?? 0), 0), ticksPerSecond);
  const stackMs = sum([...byGroup.keys()].filter((name) => !outside.has(name)));
  const allMs = sum([...byGroup.keys()]);
  const windowMs = Math.max(1, end.atMs - start.atMs);
  const messagesPerLifecycle: Record<string, number> = {};
  for (const [stream, seq] of Object.entries(end.streamSeqs)) messagesPerLifecycle[stream] = perLifecycle(seq - (start.streamSeqs[stream] ?? 0), lifecycles);
  return {
    lifecycles,
    windowS: windowMs / 1000,
    cpuMsPerLifecycle,
    totalCpuMsPerLifecycle: perLifecycle(stackMs, lifecycles),
    coresBusy: allMs / windowMs,
    xactsPerLifecycle: start.xactCommit === null || end.xactCommit === null ? null : perLifecycle(end.xactCommit - start.xactCommit, lifecycles),
    messagesPerLifecycle,
  };
}

/**
 * How much of the second CPU turns into throughput: lifecycles/s on `cpus`
 * CPUs over `cpus` times the figure on one. 1 is perfect scaling; 0.5 means
 * the second CPU added nothing (a serial bottleneck). null without a one-CPU figure.
 */
export function scalingEfficiency(lpsOneCpu: number, lpsManyCpus: number, cpus = 2): number | null {
  if (!(lpsOneCpu > 0) || !Number.isFinite(lpsManyCpus) || cpus <= 0) return null;
  return lpsManyCpus / (cpus * lpsOneCpu);
}
