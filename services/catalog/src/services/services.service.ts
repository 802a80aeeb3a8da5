import { boundedPage, commandTransaction } from '@agentmarket/messaging';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  uuidv7,
  type Actor,
  type ListServicesQuery,
  type ServicePage,
  type ServiceView,
  type UpdateServiceInput,
  type CreateServiceInput,
  type HostedService,
} from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import { findAgentProjection } from '../agents/agents.repository.ts';
import { CATALOG_SCHEMA } from '../schema.ts';
import type { HostedQuotes } from './hosted-quotes.ts';
import { applyServicePatch } from './service-patch.ts';
import type { Service } from './service.entity.ts';
import { encodeListCursor, positionOf } from './service-list-cursor.ts';
import { planServiceList } from './service-list-plan.ts';
import { toServiceView } from './service.views.ts';
import { addService, countServices, findService, findServicePage, saveServiceChange } from './services.repository.ts';

const CONFLICT_ATTEMPTS = 5;

/** Services agents publish: creation, lookup, search and owner changes. Each public method owns its transaction. */
export class ServicesService {
  private readonly orm: MikroORM;
  private readonly quotes: HostedQuotes;

  constructor(orm: MikroORM, quotes: HostedQuotes) {
    this.orm = orm;
    this.quotes = quotes;
  }

  async create(agentId: string, agentName: string, input: CreateServiceInput): Promise<ServiceView> {
    // Asked before the transaction: a bus round trip should not hold a database connection.
    if (input.hosted) await this.quotes.requireCovered(input.hosted, input.price_usd ?? null);
    const now = new Date();
    return commandTransaction(this.orm, CATALOG_SCHEMA, async (em) => {
      // Until identity's events have reached the catalog, the caller's own name stands in.
      const agent = await findAgentProjection(em, agentId);
      const service = addService(em, {
        id: uuidv7(),
        agentId,
        agentName: agent?.name ?? agentName,
        agentReputation: agent?.reputationScore ?? '0.00',
        name: input.name,
        description: input.description,
        currency: input.price_usd === undefined ? 'SAT' : 'USD',
        priceCents: input.price_usd ?? null,
        priceSats: input.price_sats ?? null,
        outputType: input.output_type,
        outputDescription: input.output_description ?? null,
        requiredInputs: input.required_inputs,
        inputSchema: input.input_schema ?? null,
        capabilitiesRequired: input.capabilities_required,
        estimatedMinutes: input.estimated_minutes ?? null,
        maxConcurrent: input.max_concurrent,
        maxRevisions: input.max_revisions,
        acceptWindowSeconds: input.accept_window_seconds ?? null,
        autoCompleteSeconds: input.auto_complete_seconds ?? null,
        hosted: input.hosted ?? null,
        isActive: true,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      const view = toServiceView(service);
      await appendToOutbox(em, CATALOG_SCHEMA, [
        { type: 'service_created', aggregateId: service.id, aggregateVersion: 1, actor: agentActor(agentId), data: { service: view } },
      ]);
      return view;
    });
  }

  /** catalog's part of GET /api/stats. */
  async stats(): Promise<{ active: number; total: number }> {
    return countServices(this.orm.em.fork());
  }

  /** A hosted service's whole configuration, system prompt included: for the executor only (never routed to HTTP). */
  async getHosted(id: string): Promise<HostedService> {
    const service = await findService(this.orm.em.fork(), id);
    if (!service?.hosted) throw new AppError('not_found', 'No hosted service with this id', { service_id: id });
    return { service_id: service.id, agent_id: service.agentId, hosted: service.hosted };
  }

  /** Any service, active or not: jobs and owners need inactive ones too. */
  async get(id: string): Promise<ServiceView> {
    const service = await findService(this.orm.em.fork(), id);
    if (!service) throw new AppError('not_found', 'Service not found', { service_id: id });
    return toServiceView(service);
  }

  async list(query: ListServicesQuery): Promise<ServicePage> {
    const plan = planServiceList(query);
    const listed = await findServicePage(this.orm.em.fork(), plan);
    return boundedPage(
      listed,
      plan.limit,
      ({ service }) => toServiceView(service),
      (last) => encodeListCursor(plan.sort, positionOf(plan.sort, last.service, last.rank === undefined ? undefined : Number(last.rank))),
    );
  }

  /** An owner's patch; `service_deactivated` when it turns the service off, `service_updated` otherwise, nothing when nothing changed. */
  async update(agentId: string, serviceId: string, patch: UpdateServiceInput): Promise<ServiceView> {
    const repriced = patch.price_usd !== undefined || patch.price_sats !== undefined;
    return this.mutateOwned(
      agentId,
      serviceId,
      (service) => applyServicePatch(service, patch),
      async (service) => {
        // A hosted service's new price must still cover its model cost (its hosted configuration itself cannot be patched).
        if (repriced && service.hosted) await this.quotes.requireCovered(service.hosted, patch.price_usd ?? null);
      },
    );
  }

  /** Turns a service off once; deactivating an inactive service returns it unchanged. */
  async deactivate(agentId: string, serviceId: string): Promise<ServiceView> {
    return this.mutateOwned(agentId, serviceId, (service) => applyServicePatch(service, { is_active: false }));
  }

  /**
   * Loads the caller's service, checks it (`allowed` throws to refuse the change), changes it and saves it with its
   * event under optimistic locking (one statement, see saveServiceChange).
   */
  private async mutateOwned(
    agentId: string,
    serviceId: string,
    change: (service: Service) => Record<string, unknown>,
    allowed?: (service: Service) => Promise<void>,
  ): Promise<ServiceView> {
    for (let attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt += 1) {
      const em = this.orm.em.fork();
      const service = await findOwned(em, agentId, serviceId);
      await allowed?.(service);
      const readVersion = service.version;
      const changes = change(service);
      if (Object.keys(changes).length === 0) return toServiceView(service);
      service.updatedAt = new Date();
      const view = toServiceView(service);
      const event = {
        type: changes.is_active === false ? ('service_deactivated' as const) : ('service_updated' as const),
        aggregateId: service.id,
        aggregateVersion: readVersion + 1,
        actor: agentActor(agentId),
        data: { service: view, changes },
      };
      if (await saveServiceChange(em, service, readVersion, event)) return view;
      // A lost race is retried on fresh data; only a service changing under every attempt is reported.
    }
    throw new AppError('conflict', 'The service was changed concurrently; retry', { service_id: serviceId });
  }
}

/** The service when `agentId` owns it; not_found otherwise, so a stranger cannot tell it exists. */
async function findOwned(em: EntityManager, agentId: string, serviceId: string): Promise<Service> {
  const service = await findService(em, serviceId);
  if (!service || service.agentId !== agentId) throw new AppError('not_found', 'Service not found', { service_id: serviceId });
  return service;
}

function agentActor(agentId: string): Actor {
  return { type: 'agent', id: agentId };
}
