import { AppError } from '@agentmarket/contracts';
import type { SseClient } from './sse-client.ts';

/** Seconds a refused client is told to wait: streams end when their readers go, not on a schedule. */
const RETRY_AFTER_SECONDS = 10;

export interface StreamLimits {
  /** Streams of one address without a verified credential. */
  perIp: number;
  /** Streams of one verified caller, wherever they connect from. */
  perCaller: number;
  /** Streams of this replica in all. */
  perReplica: number;
}

/** Who opened a stream: a verified caller (`agent:<id>`, `user:<id>`) or, anonymous, an address. */
export interface StreamOwner {
  ip: string;
  caller?: { type: string; id: string };
}

/**
 * Counts this replica's open SSE streams by owner and refuses one more past
 * a cap (429 `too_many_streams` with Retry-After), and finds an agent's
 * streams when they must end (its key was rotated, it was suspended).
 */
export class StreamSlots {
  private readonly limits: StreamLimits;
  private readonly counts = new Map<string, number>();
  private readonly byAgent = new Map<string, Set<SseClient>>();
  private total = 0;

  constructor(limits: StreamLimits) {
    this.limits = limits;
  }

  /** Takes a slot or throws 429; the returned function gives it back (call it once, when the stream ends). */
  open(owner: StreamOwner): () => void {
    const bucket = owner.caller ? `caller:${owner.caller.type}:${owner.caller.id}` : `ip:${owner.ip}`;
    const cap = owner.caller ? this.limits.perCaller : this.limits.perIp;
    const held = this.counts.get(bucket) ?? 0;
    if (this.total >= this.limits.perReplica) this.refuse('This server has as many event streams open as it serves', this.limits.perReplica);
    if (held >= cap) {
      this.refuse(owner.caller ? 'You have as many event streams open as allowed' : 'This address has as many event streams open as allowed', cap);
    }
    this.counts.set(bucket, held + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.counts.get(bucket) ?? 1) - 1;
      if (left > 0) this.counts.set(bucket, left);
      else this.counts.delete(bucket);
    };
  }

  /** Remembers an agent's stream so that `closeAgent` can end it. */
  track(agentId: string, client: SseClient): () => void {
    let clients = this.byAgent.get(agentId);
    if (!clients) this.byAgent.set(agentId, (clients = new Set()));
    clients.add(client);
    return () => {
      clients.delete(client);
      if (clients.size === 0 && this.byAgent.get(agentId) === clients) this.byAgent.delete(agentId);
    };
  }

  /** Ends every stream of the agent on this replica (each closes through its own cleanup); how many. */
  closeAgent(agentId: string): number {
    const clients = [...(this.byAgent.get(agentId) ?? [])];
    for (const client of clients) client.close();
    return clients.length;
  }

  get openStreams(): number {
    return this.total;
  }

  private refuse(message: string, cap: number): never {
    throw new AppError('too_many_streams', `${message} (${cap}); close one, or retry in ${RETRY_AFTER_SECONDS} s`, {
      limit: cap,
      retry_after_seconds: RETRY_AFTER_SECONDS,
    });
  }
}
