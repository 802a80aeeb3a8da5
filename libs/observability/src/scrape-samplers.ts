/** Refreshes a set of sampled gauges; resolves when the figures are as fresh as they will get. */
export type Sampler = () => Promise<void>;

/**
 * Figures that cost a round trip (a consumer's num_pending, an outbox's
 * unsent rows) are read when Prometheus scrapes, not on a timer: the
 * scrape interval is the sampling period, and nothing is queried when
 * nobody is looking. One pass serves every gauge of a scrape (they collect
 * in parallel), passes are at least `minIntervalMs` apart whoever asks,
 * and a slow source cannot hold the scrape past `timeoutMs`: its gauge
 * keeps its last value.
 */
export class ScrapeSamplers {
  private readonly samplers = new Set<Sampler>();
  private pass: Promise<void> | undefined;
  private lastPassAt = 0;
  private readonly minIntervalMs: number;
  private readonly timeoutMs: number;

  constructor(minIntervalMs = 1000, timeoutMs = 2000) {
    this.minIntervalMs = minIntervalMs;
    this.timeoutMs = timeoutMs;
  }

  /** Adds a sampler; the returned function removes it (when its consumer or relay stops). */
  add(sampler: Sampler): () => void {
    this.samplers.add(sampler);
    return () => void this.samplers.delete(sampler);
  }

  /** Runs every sampler once, unless a pass is under way or has just run. Never rejects. */
  refresh(): Promise<void> {
    if (this.pass) return this.pass;
    if (Date.now() - this.lastPassAt < this.minIntervalMs) return Promise.resolve();
    const samplers = [...this.samplers];
    const all = Promise.allSettled(samplers.map((sampler) => sampler())).then(() => undefined);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.timeoutMs).unref());
    this.pass = Promise.race([all, deadline]).finally(() => {
      this.lastPassAt = Date.now();
      this.pass = undefined;
    });
    return this.pass;
  }
}
