import { TtlCache } from '@agentmarket/persistence';

/**
 * A read-through cache for public views whose changes are announced on the
 * bus: an event invalidates its aggregate at once, the TTL bounds staleness
 * if an event is missed (bus reconnect). A read that started before an
 * invalidation does not store the old value after it (TtlCache.read).
 */
export class InvalidatedCache<T> {
  private readonly entries: TtlCache<T>;

  constructor(ttlMs: number, maxEntries: number) {
    this.entries = new TtlCache({ ttlMs, maxEntries });
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    return this.entries.read(key, load);
  }

  invalidate(key: string): void {
    this.entries.invalidate(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
