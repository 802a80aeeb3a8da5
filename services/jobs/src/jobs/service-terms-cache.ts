import type { Subscription } from '@nats-io/transport-node';
import { SUBJECTS, type ServiceView } from '@agentmarket/contracts';
import { decodeJson, type BusClient } from '@agentmarket/messaging';
import type { Logger } from '@agentmarket/observability';

/** The core-NATS subject of every service event: catalog announces each change to a service there. */
export const SERVICE_EVENTS_SUBJECT = 'evt.service.>';

interface Entry {
  view: ServiceView;
  expiresAt: number;
}

/**
 * The catalog's view of the services being hired, kept in this process so
 * that a hire does not ask the catalog each time. Any `evt.service.*` event
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
  private readonly subscription: Subscription;

  constructor(bus: BusClient, logger: Logger, ttlMs: number, maxEntries: number) {
    this.bus = bus;
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
    this.subscription = bus.connection.subscribe(SERVICE_EVENTS_SUBJECT, {
      callback: (error, message) => {
        if (error) return;
        try {
          this.invalidate((decodeJson(message.data) as { aggregate_id: string }).aggregate_id);
        } catch (failure) {
          // Anyone on the bus can publish here: what is not an envelope is dropped, never thrown.
          logger.warn({ err: failure, subject: message.subject }, 'ignored a malformed service event');
        }
      },
    });
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

  async stop(): Promise<void> {
    this.subscription.unsubscribe();
    this.entries.clear();
  }

  private store(id: string, view: ServiceView): void {
    this.entries.delete(id);
    // Oldest entry first in a Map: past the bound, the least recently stored goes.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { view, expiresAt: Date.now() + this.ttlMs });
  }
}
