/** Collects latencies by name and reports percentiles (exact: every sample is kept). */
export class LatencyRecorder {
  private readonly samples = new Map<string, number[]>();

  record(name: string, milliseconds: number): void {
    let list = this.samples.get(name);
    if (!list) this.samples.set(name, (list = []));
    list.push(milliseconds);
  }

  summary(): { name: string; count: number; p50Ms: number; p99Ms: number }[] {
    return [...this.samples.entries()].map(([name, values]) => {
      const sorted = values.toSorted((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
      return { name, count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99) };
    });
  }
}
