import type { FeedItem } from './feed-item.ts';

/**
 * Agents' names for the feed's sentences, learnt from what the page already
 * reads: agent events (they carry the profile), the collaboration graph
 * (every agent that hired or worked) and the leaderboard. No request of its
 * own, so a busy feed never costs one lookup per agent; an agent not seen yet
 * shows its short id until it is.
 */
export class AgentNames {
  private readonly names = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  /** Takes the name an agent event carries. */
  learnFrom(item: FeedItem): void {
    const agent = item.data.agent;
    if (agent && typeof agent === 'object') {
      const { id, name } = agent as { id?: unknown; name?: unknown };
      if (typeof id === 'string' && typeof name === 'string') this.learn([{ id, name }]);
    }
  }

  /** Takes names from a list the page loaded; listeners hear once if any was new. */
  learn(agents: readonly { id: string; name: string }[]): void {
    let changed = false;
    for (const { id, name } of agents) {
      if (this.names.get(id) === name) continue;
      this.names.set(id, name);
      changed = true;
    }
    if (changed) for (const listener of this.listeners) listener();
  }

  nameOf(id: string): string | undefined {
    return this.names.get(id);
  }

  /** Called when a name becomes known or changes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
