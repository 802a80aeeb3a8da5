import { createHash } from 'node:crypto';
import type { Logger } from '@agentmarket/observability';

/** Where the shared counts live (SharedWindowCounters; a plain map in unit tests). */
export interface WindowCounters {
  add(key: string, wanted: number, limit: number): Promise<{ granted: number; total: number }>;
}

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  /** What is left in this window, as far as this replica knows. */
  remaining: number;
  /** Seconds until the window ends (Retry-After on a refusal). */
  resetSeconds: number;
}

/**
 * A replica asks the shared counter for a lease of this many parts of the limit at once (at least 1),
 * so a busy caller costs one KV round trip per lease, not per request.
 */
const LEASE_PARTS = 20;

interface WindowState {
  windowStart: number;
  /** Requests this replica leased from the shared counter and has not admitted yet. */
  unused: number;
  /** The shared count (every replica's leases) after this replica's last lease. */
  sharedTotal: number;
  /** The shared counter granted nothing: the limit is reached for the rest of the window. */
  exhausted: boolean;
  refill: Promise<void> | undefined;
}

/**
 * Fixed-window limits whose counts are shared by every gateway replica.
 *
 * Each replica admits requests from leases it takes off the shared counter:
 * a lease of `ceil(limit / 20)` requests is added to the shared count before
 * any of them is admitted, and the shared count never passes the limit. So
 * the replicas together never admit more than the limit in a window (no
 * over-admission at all). The price is a bounded under-admission: a replica
 * may still hold up to `lease − 1` unused requests when another is refused,
 * so with R replicas a caller spread over all of them may be refused up to
 * (R − 1) × (lease − 1) requests early (0 for small limits such as 20
 * registrations an hour, whose lease is 1). When the bus is unreachable a
 * replica leases from itself (counted locally, logged), so the limit still
 * holds per replica and the API does not fail because its counter did.
 */
export class WindowLimiter {
  private readonly counters: WindowCounters;
  private readonly windowMs: number;
  private readonly name: string;
  private readonly logger: Logger;
  private readonly states = new Map<string, WindowState>();
  private lastSweep = 0;

  constructor(options: { counters: WindowCounters; windowMs: number; name: string; logger: Logger }) {
    this.counters = options.counters;
    this.windowMs = options.windowMs;
    this.name = options.name;
    this.logger = options.logger;
  }

  /** Counts one request of `bucket` (any text: it is hashed into the key) against `limit`. */
  async take(bucket: string, limit: number, now = Date.now()): Promise<LimitDecision> {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    this.sweep(windowStart);
    let state = this.states.get(bucket);
    if (!state || state.windowStart !== windowStart) {
      state = { windowStart, unused: 0, sharedTotal: 0, exhausted: false, refill: undefined };
      this.states.set(bucket, state);
    }
    const current = state;
    while (current.unused === 0 && !current.exhausted) {
      // One lease request per bucket at a time; concurrent requests wait for it and share what it brought.
      current.refill ??= this.lease(bucket, current, limit).finally(() => {
        current.refill = undefined;
      });
      await current.refill;
    }
    const resetSeconds = Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000));
    if (current.unused === 0) return { allowed: false, limit, remaining: 0, resetSeconds };
    current.unused -= 1;
    const remaining = Math.max(0, limit - current.sharedTotal + current.unused);
    return { allowed: true, limit, remaining, resetSeconds };
  }

  private async lease(bucket: string, state: WindowState, limit: number): Promise<void> {
    const wanted = Math.max(1, Math.ceil(limit / LEASE_PARTS));
    const key = `${this.name}.${createHash('sha256').update(bucket).digest('hex').slice(0, 40)}.${state.windowStart}`;
    try {
      const { granted, total } = await this.counters.add(key, wanted, limit);
      state.sharedTotal = total;
      if (granted === 0) state.exhausted = true;
      else state.unused += granted;
    } catch (error) {
      // The shared counter is unreachable: count on this replica alone until it is back.
      this.logger.warn({ err: error, limiter: this.name }, 'shared rate-limit counter unavailable; limiting on this replica alone');
      const local = Math.max(0, Math.min(wanted, limit - state.sharedTotal));
      state.sharedTotal += local;
      if (local === 0) state.exhausted = true;
      else state.unused += local;
    }
  }

  /** Forgets the buckets of past windows (once per window). */
  private sweep(windowStart: number): void {
    if (windowStart === this.lastSweep) return;
    this.lastSweep = windowStart;
    for (const [bucket, state] of this.states) if (state.windowStart < windowStart && !state.refill) this.states.delete(bucket);
  }
}
