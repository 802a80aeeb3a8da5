import { createHash } from 'node:crypto';
import type { AgentPrincipal } from '@agentmarket/contracts';

interface Entry {
  principal: AgentPrincipal;
  expiresAt: number;
}

/**
 * Verified API keys, so most requests need no call to identity. Keys are
 * held by their SHA-256, never in clear. Entries expire after `ttlMs` and
 * are dropped at once when their agent rotates its key.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly keysByAgent = new Map<string, Set<string>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(ttlMs: number, maxEntries: number) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  static digest(apiKey: string): string {
    return createHash('sha256').update(apiKey).digest('base64url');
  }

  get(digest: string, now = Date.now()): AgentPrincipal | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.delete(digest, entry.principal.agent_id);
      return undefined;
    }
    return entry.principal;
  }

  set(digest: string, principal: AgentPrincipal, now = Date.now()): void {
    if (this.maxEntries === 0 || this.ttlMs === 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest.
      const oldest = this.entries.entries().next().value;
      if (oldest) this.delete(oldest[0], oldest[1].principal.agent_id);
    }
    this.entries.set(digest, { principal, expiresAt: now + this.ttlMs });
    let keys = this.keysByAgent.get(principal.agent_id);
    if (!keys) this.keysByAgent.set(principal.agent_id, (keys = new Set()));
    keys.add(digest);
  }

  /** Forgets every key of an agent (its key was rotated). */
  revokeAgent(agentId: string): void {
    for (const digest of this.keysByAgent.get(agentId) ?? []) this.entries.delete(digest);
    this.keysByAgent.delete(agentId);
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(digest: string, agentId: string): void {
    this.entries.delete(digest);
    const keys = this.keysByAgent.get(agentId);
    keys?.delete(digest);
    if (keys?.size === 0) this.keysByAgent.delete(agentId);
  }
}
