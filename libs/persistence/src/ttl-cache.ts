import { LRUCache } from 'lru-cache';

export interface TtlCacheOptions {
  /** How long an entry is trusted: the bound on staleness when an invalidating event is missed. 0 turns the cache off. */
  ttlMs: number;
  /** Entries kept at most; past it the least recently used goes. 0 turns the cache off. */
  maxEntries: number;
}

/** What lru-cache holds: a box, so that null and undefined can be cached values too. */
interface Boxed<V> {
  value: V;
}

/**
 * The one in-process cache of the services: values kept for a while, bounded
 * in number, and dropped at once when a bus event says they changed. A value
 * read before an invalidation must not be stored after it (it would outlive
 * the change by a whole TTL), so `read` stores what it loaded only when no
 * invalidation touched the key while the load was in flight.
 */
export class TtlCache<V> {
  readonly #entries: LRUCache<string, Boxed<V>> | undefined;
  /** Keys with a load in flight: how many invalidations each has seen, so a load can tell it was overtaken. */
  readonly #loads = new Map<string, { invalidations: number; readers: number }>();

  constructor(options: TtlCacheOptions) {
    if (options.ttlMs <= 0 || options.maxEntries <= 0) return;
    // The wall clock, looked up on each call so that fake timers move it in tests; unrounded (ttlResolution 0),
    // which also spares lru-cache a timer per read.
    this.#entries = new LRUCache({ max: options.maxEntries, ttl: options.ttlMs, ttlResolution: 0, perf: { now: () => Date.now() } });
  }

  /** The value while it is fresh, else undefined. */
  get(key: string): V | undefined {
    return this.#entries?.get(key)?.value;
  }

  has(key: string): boolean {
    return this.#entries?.has(key) ?? false;
  }

  set(key: string, value: V): void {
    this.#entries?.set(key, { value });
  }

  /** Read-through: the fresh value, else `load()`'s, stored unless an invalidation of the key arrived meanwhile. */
  async read(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.#entries?.get(key);
    if (cached) return cached.value;
    if (!this.#entries) return load();
    let inFlight = this.#loads.get(key);
    if (!inFlight) this.#loads.set(key, (inFlight = { invalidations: 0, readers: 0 }));
    const seen = inFlight.invalidations;
    inFlight.readers += 1;
    try {
      const value = await load();
      if (inFlight.invalidations === seen) this.#entries.set(key, { value });
      return value;
    } finally {
      inFlight.readers -= 1;
      if (inFlight.readers === 0) this.#loads.delete(key);
    }
  }

  /** Drops the key's value now, and keeps a load already in flight for it from storing what it read. */
  invalidate(key: string): void {
    this.#entries?.delete(key);
    const inFlight = this.#loads.get(key);
    if (inFlight) inFlight.invalidations += 1;
  }

  /**
   * Drops every value `matches`. A load in flight has no value yet to match,
   * so none of them stores what it read.
   */
  invalidateWhere(matches: (value: V, key: string) => boolean): void {
    if (!this.#entries) return;
    const doomed: string[] = [];
    for (const [key, boxed] of this.#entries.entries()) if (matches(boxed.value, key)) doomed.push(key);
    for (const key of doomed) this.#entries.delete(key);
    for (const inFlight of this.#loads.values()) inFlight.invalidations += 1;
  }

  /** Drops everything, in flight included. */
  clear(): void {
    this.#entries?.clear();
    for (const inFlight of this.#loads.values()) inFlight.invalidations += 1;
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.#entries?.size ?? 0;
  }
}
