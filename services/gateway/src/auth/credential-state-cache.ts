import type { CredentialState } from '@agentmarket/contracts';
import { TtlCache } from '@agentmarket/persistence';

/**
 * Each agent's current key generation and suspension, so an agent JWT can be
 * checked without asking identity on every request. Filled from identity on
 * a miss (concurrent misses share one request), dropped at once when the
 * agent's key is rotated or it is suspended or unsuspended (the gateway
 * follows `evt.agent.>` on every replica), and otherwise trusted for `ttlMs`
 * at most: the bound on staleness if an event were missed.
 */
export class CredentialStateCache {
  /** The lookup itself is cached, not its answer: a second miss while the first is in flight joins it. */
  private readonly entries: TtlCache<Promise<CredentialState>>;
  private readonly load: (agentId: string) => Promise<CredentialState>;

  constructor(options: { ttlMs: number; maxEntries: number; load: (agentId: string) => Promise<CredentialState> }) {
    this.entries = new TtlCache(options);
    this.load = options.load;
  }

  get(agentId: string): Promise<CredentialState> {
    const cached = this.entries.get(agentId);
    if (cached) return cached;
    const state = this.load(agentId);
    this.entries.set(agentId, state);
    // A failed lookup (identity down) is not remembered.
    state.catch(() => {
      if (this.entries.get(agentId) === state) this.entries.invalidate(agentId);
    });
    return state;
  }

  invalidate(agentId: string): void {
    this.entries.invalidate(agentId);
  }

  get size(): number {
    return this.entries.size;
  }
}
