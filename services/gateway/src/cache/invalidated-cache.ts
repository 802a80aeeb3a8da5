interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A read-through cache for public views whose changes are announced on the
 * bus: an event invalidates its aggregate at once, the TTL bounds staleness
 * if an event is missed (bus reconnect). A per-key generation stops a read
 * that started before an invalidation from storing the old value after it.
 */
export class InvalidatedCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly generations = new Map<string, number>();
  /** Bumped when the generation map is reset, so no read in flight across a reset is stored. */
  private epoch = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(ttlMs: number, maxEntries: number) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  async get(key: string, load: () => Promise<T>, now = Date.now): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now()) return entry.value;
    const stamp = this.stamp(key);
    const value = await load();
    if (this.stamp(key) === stamp && this.ttlMs > 0 && this.maxEntries > 0) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.delete(key);
      this.entries.set(key, { value, expiresAt: now() + this.ttlMs });
    }
    return value;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    if (this.generations.size > this.maxEntries * 2) {
      this.generations.clear();
      this.epoch += 1;
    }
  }

  private stamp(key: string): string {
    return `${this.epoch}:${this.generations.get(key) ?? 0}`;
  }

  get size(): number {
    return this.entries.size;
  }
}
