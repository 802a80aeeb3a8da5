import type { CredentialState } from '@agentmarket/contracts';

interface Entry {
  state: Promise<CredentialState>;
  expiresAt: number;
}

/**
 * Each agent's current key generation and suspension, so an agent JWT can be
 * checked without asking identity on every request. Filled from identity on
 * a miss (concurrent misses share one request), dropped at once when the
 * agent's key is rotated or it is suspended or unsuspended (the gateway
 * follows `evt.agent.>` on every replica), and otherwise trusted for `ttlMs`
 * at most: the bound on staleness if an event were missed.
 */
export class CredentialStateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly load: (agentId: string) => Promise<CredentialState>;

  constructor(options: { ttlMs: number; maxEntries: number; load: (agentId: string) => Promise<CredentialState> }) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries;
    this.load = options.load;
  }

  get(agentId: string, now = Date.now()): Promise<CredentialState> {
    const entry = this.entries.get(agentId);
    if (entry && entry.expiresAt > now) return entry.state;
    const state = this.load(agentId);
    if (this.ttlMs > 0 && this.maxEntries > 0) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(agentId, { state, expiresAt: now + this.ttlMs });
      // A failed lookup (identity down) is not remembered.
      state.catch(() => {
        if (this.entries.get(agentId)?.state === state) this.entries.delete(agentId);
      });
    }
    return state;
  }

  invalidate(agentId: string): void {
    this.entries.delete(agentId);
  }

  get size(): number {
    return this.entries.size;
  }
}
