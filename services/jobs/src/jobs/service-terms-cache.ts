import type { Subscription } from '@nats-io/transport-node';
import { SUBJECTS, type ServiceView } from '@agentmarket/contracts';
import { decodeJson, type BusClient } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';
import { TtlCache } from '@agentmarket/persistence';

/** The core-NATS subject of every service event: catalog announces each change to a service there. */
export const SERVICE_EVENTS_SUBJECT = 'evt.service.>';
/**
 * An agent's suspension hides all its services from hires, but the catalog
 * only projects it (no service event): the cache follows identity's event too.
 */
export const AGENT_SUSPENDED_SUBJECT = 'evt.agent.suspended';

/**
 * The catalog's view of the services being hired, kept in this process so
 * that a hire does not ask the catalog each time. The view carries the
 * service's input_schema, so a hire checks its inputs without asking again. Any `evt.service.*` event
 * (created, updated, deactivated, suspended, unsuspended: every change to
 * what a hire reads) drops the service's entry at once, on every replica;
 * the TTL is the backstop for an event missed by the core subscription
 * (reconnects). Between a catalog change committing and its event arriving
 * (the outbox relay's latency, milliseconds) a hire may still see the old
 * terms, as it could if it had asked the catalog a moment earlier.
 * Refusals (not found) are never cached.
 */
export class ServiceTermsCache {
  private readonly bus: BusClient;
  private readonly views: TtlCache<ServiceView>;
  private readonly subscriptions: Subscription[];
  /**
   * Agents suspended within the last TTL: the catalog may answer for their
   * services before it has projected the suspension, and that answer must
   * not be kept.
   */
  private readonly recentlySuspended: TtlCache<true>;

  constructor(bus: BusClient, logger: Logger, ttlMs: number, maxEntries: number) {
    this.bus = bus;
    this.views = new TtlCache({ ttlMs, maxEntries });
    this.recentlySuspended = new TtlCache({ ttlMs, maxEntries });
    const follow = (subject: string, drop: (aggregateId: string) => void) =>
      bus.connection.subscribe(subject, {
        callback: (error, message) => {
          if (error) return;
          try {
            drop((decodeJson(message.data) as { aggregate_id: string }).aggregate_id);
          } catch (failure) {
            // Anyone on the bus can publish here: what is not an envelope is dropped, never thrown.
            logger.warn({ err: failure, subject: message.subject }, 'ignored a malformed event');
          }
        },
      });
    this.subscriptions = [
      follow(SERVICE_EVENTS_SUBJECT, (serviceId) => this.invalidate(serviceId)),
      follow(AGENT_SUSPENDED_SUBJECT, (agentId) => this.invalidateAgent(agentId)),
    ];
  }

  /** The service's terms: from the cache while fresh, otherwise from the catalog (which also answers not_found). */
  async get(serviceId: string, requestId?: string): Promise<ServiceView> {
    const id = serviceId.toLowerCase();
    return this.views.read(id, async () => {
      const view = await this.bus.request<ServiceView>(SUBJECTS.catalog.get, { id: serviceId }, { requestId });
      // Served but not kept, since the catalog may not have projected the agent's suspension yet: invalidating
      // the key while its own load is in flight is what keeps read() from storing it.
      if (this.recentlySuspended.has(view.agent_id.toLowerCase())) this.views.invalidate(id);
      return view;
    });
  }

  invalidate(serviceId: string): void {
    this.views.invalidate(String(serviceId).toLowerCase());
  }

  /** Drops every cached service of the agent. */
  invalidateAgent(agentId: string): void {
    const agent = String(agentId).toLowerCase();
    this.recentlySuspended.set(agent, true);
    this.views.invalidateWhere((view) => view.agent_id.toLowerCase() === agent);
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.views.clear();
  }
}
