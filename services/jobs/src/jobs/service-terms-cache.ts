import type { Subscription } from '@nats-io/transport-node';
import { SUBJECTS, type ServiceView } from '@agentmarket/contracts';
import { decodeJson, type BusClient } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';

/** The core-NATS subject of every service event: catalog announces each change to a service there. */
export const SERVICE_EVENTS_SUBJECT = 'evt.service.>';
/**
 * An agent's suspension hides all its services from hires, but the catalog
 * only projects it (no service event): the cache follows identity's event too.
 */
export const AGENT_SUSPENDED_SUBJECT = 'evt.agent.suspended';

interface Entry {
  view: ServiceView;
  expiresAt: number;
}

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
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a fetch that began before one does not store what it read. */
  private epoch = 0;
  private readonly subscriptions: Subscription[];
  /**
   * Agents suspended within the last TTL: the catalog may answer for their
   * services before it has projected the suspension, and that answer must
   * not be kept.
   */
  private readonly recentlySuspended = new Map<string, number>();

  constructor(bus: BusClient, logger: Logger, ttlMs: number, maxEntries: number) {
    this.bus = bus;
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
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
    const cached = this.entries.get(id);
    if (cached && cached.expiresAt > Date.now()) return cached.view;
    const epoch = this.epoch;
    const view = await this.bus.request<ServiceView>(SUBJECTS.catalog.get, { id: serviceId }, { requestId });
    if (epoch === this.epoch) this.store(id, view);
    return view;
  }

  invalidate(serviceId: string): void {
    this.epoch++;
    this.entries.delete(String(serviceId).toLowerCase());
  }

  /** Drops every cached service of the agent. */
  invalidateAgent(agentId: string): void {
    this.epoch++;
    const agent = String(agentId).toLowerCase();
    this.recentlySuspended.set(agent, Date.now() + this.ttlMs);
    for (const [id, entry] of this.entries) if (entry.view.agent_id.toLowerCase() === agent) this.entries.delete(id);
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.entries.clear();
  }

  private store(id: string, view: ServiceView): void {
    const agent = view.agent_id.toLowerCase();
    const suspendedUntil = this.recentlySuspended.get(agent);
    if (suspendedUntil !== undefined) {
      if (suspendedUntil > Date.now()) return;
      this.recentlySuspended.delete(agent);
    }
    this.entries.delete(id);
    // Oldest entry first in a Map: past the bound, the least recently stored goes.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { view, expiresAt: Date.now() + this.ttlMs });
  }
}
