import type { Subscription } from '@nats-io/transport-node';
import { decodeJson } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';
import { TtlCache } from '@agentmarket/persistence';
import type { MarketPort } from '../work/market-port.ts';

/** The core-NATS subject of every agent event: identity announces each change to an agent (its a2a_url included) there. */
export const AGENT_EVENTS_SUBJECT = 'evt.agent.>';
/** The backstop for an event the core subscription missed (a reconnect). */
const TTL_MS = 10_000;
const MAX_AGENTS = 10_000;

/**
 * Which workers sell through their own A2A endpoint, kept in this process:
 * every hire's job_created comes to the A2A seller loop, and most workers
 * have no endpoint, so asking identity each time would cost a bus request
 * and a read per hire for nothing. Any agent event drops the agent's entry
 * at once, on every replica; the TTL is the backstop. An agent that sets its
 * a2a_url is seen once identity's event arrives (the outbox relay's latency,
 * milliseconds), as it would be had identity been asked a moment earlier.
 */
export class SellerEndpoints {
  private readonly market: MarketPort;
  private readonly urls = new TtlCache<string | null>({ ttlMs: TTL_MS, maxEntries: MAX_AGENTS });
  private readonly subscription: Subscription;

  constructor(market: MarketPort, subscribe: (subject: string, onEvent: (data: Uint8Array) => void) => Subscription, logger: Logger) {
    this.market = market;
    this.subscription = subscribe(AGENT_EVENTS_SUBJECT, (data) => {
      try {
        this.urls.invalidate(String((decodeJson(data) as { aggregate_id: string }).aggregate_id).toLowerCase());
      } catch (failure) {
        // Anyone on the bus can publish here: what is not an envelope is dropped, never thrown.
        logger.warn({ err: failure }, 'ignored a malformed agent event');
      }
    });
  }

  /** The agent's a2a_url, or null when its hires come through the API. */
  a2aUrlOf(agentId: string, jobId: string): Promise<string | null> {
    return this.urls.read(agentId.toLowerCase(), async () => (await this.market.getAgent(agentId, jobId)).a2a_url ?? null);
  }

  stop(): void {
    this.subscription.unsubscribe();
    this.urls.clear();
  }
}
