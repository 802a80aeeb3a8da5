import { createHash } from 'node:crypto';
import type { AgentPrincipal } from '@agentmarket/contracts';
import { TtlCache } from '@agentmarket/persistence';

/**
 * Verified API keys, so most requests need no call to identity. Keys are
 * held by their SHA-256, never in clear. Entries expire after `ttlMs` and
 * are dropped at once when their agent rotates its key.
 */
export class KeyCache {
  private readonly entries: TtlCache<AgentPrincipal>;

  constructor(ttlMs: number, maxEntries: number) {
    this.entries = new TtlCache({ ttlMs, maxEntries });
  }

  static digest(apiKey: string): string {
    return createHash('sha256').update(apiKey).digest('base64url');
  }

  get(digest: string): AgentPrincipal | undefined {
    return this.entries.get(digest);
  }

  set(digest: string, principal: AgentPrincipal): void {
    this.entries.set(digest, principal);
  }

  /** Forgets every key of an agent (its key was rotated). Rare enough that a scan beats keeping an index by agent. */
  revokeAgent(agentId: string): void {
    this.entries.invalidateWhere((principal) => principal.agent_id === agentId);
  }

  get size(): number {
    return this.entries.size;
  }
}
