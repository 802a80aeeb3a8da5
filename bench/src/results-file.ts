/**
 * The parts of a bench report, each measured by one target. A run that
 * leaves a target out (BENCH_TARGETS) reports null for its part; the
 * results file keeps the last figures measured for it instead, with the
 * time they were measured, so that the next run of that target prints them
 * beside its own however many runs of other targets came between.
 */
const PARTS = {
  http: ['load', 'ratio'],
  lifecycles: ['lifecycles', 'pgbench', 'cost'],
  pinned: ['scaling'],
  executor: ['executor'],
  sse: ['sse'],
} as const;

export type ReportPart = keyof typeof PARTS;
export type MeasuredAt = Partial<Record<ReportPart, string>>;

interface Recordable {
  finishedAt: string;
  measuredAt?: MeasuredAt;
  [field: string]: unknown;
}

/** Whether this run measured the part: its leading field holds figures (an empty list is a target left out, too). */
function measured(report: Recordable, part: ReportPart): boolean {
  const lead = report[PARTS[part][0]];
  return lead !== null && lead !== undefined && !(Array.isArray(lead) && lead.length === 0);
}

/** What to write to the results file: this run's figures, and the previous file's for the parts this run did not measure. */
export function recordedReport<T extends Recordable>(current: T, previous: Partial<Recordable> | undefined): T & { measuredAt: MeasuredAt } {
  const merged: Recordable = { ...current };
  const measuredAt: MeasuredAt = {};
  for (const part of Object.keys(PARTS) as ReportPart[]) {
    if (measured(current, part)) {
      measuredAt[part] = current.finishedAt;
      continue;
    }
    if (!previous?.finishedAt || !measured(previous as Recordable, part)) continue;
    for (const field of PARTS[part]) merged[field] = previous[field];
    measuredAt[part] = previous.measuredAt?.[part] ?? previous.finishedAt;
  }
  return { ...(merged as T), measuredAt };
}

/** When the previous results file's figures of a part were measured (older files have only finishedAt). */
export function measuredAtOf(previous: Partial<Recordable> | undefined, part: ReportPart): string | undefined {
  return previous?.measuredAt?.[part] ?? previous?.finishedAt;
}
