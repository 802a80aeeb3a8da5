import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, type Caller, type EventEnvelope, type ServiceSuspension, type ServiceView } from '@agentmarket/contracts';
import { commandTransaction } from '@agentmarket/messaging';
import { appendToOutbox } from '@agentmarket/persistence';
import { storeAgentSuspensionIfNewer } from '../agents/agents.repository.ts';
import { CATALOG_SCHEMA } from '../schema.ts';
import type { Service } from './service.entity.ts';
import { toServiceView } from './service.views.ts';
import { findService, findServiceForUpdate, setAgentSuspendedOnServices } from './services.repository.ts';

const suspensionOf = (service: Service): ServiceSuspension => ({
  service_id: service.id,
  suspended: service.suspendedAt !== null && service.suspendedAt !== undefined,
  reason: service.suspensionReason ?? null,
  suspended_at: service.suspendedAt?.toISOString() ?? null,
});

const isHidden = (service: Pick<Service, 'suspendedAt' | 'agentSuspended'>) =>
  (service.suspendedAt !== null && service.suspendedAt !== undefined) || service.agentSuspended === true;

/**
 * Admins' suspensions in the catalog: a suspended service, or any service of
 * a suspended agent, leaves search and cannot be hired (jobs reads it as
 * not found); its owner and admins still see it, marked `suspended`. Jobs
 * already running are not touched.
 */
export class ServiceSuspensions {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  /** One service as `viewer` may see it: 404 for anyone but its owner and admins while it is suspended. */
  async visibleTo(serviceId: string, viewer: Caller | undefined): Promise<ServiceView> {
    const service = await findService(this.orm.em.fork(), serviceId);
    if (!service) throw new AppError('not_found', 'Service not found', { service_id: serviceId });
    if (!isHidden(service)) return toServiceView(service);
    const privileged = viewer?.type === 'admin' || (viewer?.type === 'agent' && viewer.id === service.agentId);
    if (!privileged) throw new AppError('not_found', 'Service not found', { service_id: serviceId });
    return { ...toServiceView(service), suspended: true };
  }

  async suspend(serviceId: string, reason: string, admin: string): Promise<ServiceSuspension> {
    return this.change(serviceId, admin, reason, true);
  }

  async unsuspend(serviceId: string, admin: string, reason: string | undefined): Promise<ServiceSuspension> {
    return this.change(serviceId, admin, reason ?? null, false);
  }

  private async change(serviceId: string, admin: string, reason: string | null, suspend: boolean): Promise<ServiceSuspension> {
    return commandTransaction(this.orm, CATALOG_SCHEMA, async (em) => {
      const service = await findServiceForUpdate(em, serviceId);
      if (!service) throw new AppError('not_found', 'Service not found', { service_id: serviceId });
      const suspended = service.suspendedAt !== null && service.suspendedAt !== undefined;
      if (suspended === suspend) return suspensionOf(service);
      const now = new Date();
      service.suspendedAt = suspend ? now : null;
      service.suspensionReason = suspend ? reason : null;
      service.updatedAt = now;
      await appendToOutbox(em, CATALOG_SCHEMA, [
        {
          type: suspend ? 'service_suspended' : 'service_unsuspended',
          aggregateId: service.id,
          aggregateVersion: service.version + 1,
          actor: { type: 'user', id: admin },
          data: { service_id: service.id, agent_id: service.agentId, reason, admin },
        },
      ]);
      await em.flush();
      return suspensionOf(service);
    });
  }
}

/**
 * The agent's suspension, from identity's agent_suspended / agent_unsuspended,
 * onto every service of the agent; a stale event (lower aggregate version
 * than the last one applied) changes nothing.
 */
export async function projectAgentSuspension(em: EntityManager, envelope: EventEnvelope): Promise<void> {
  const suspended = envelope.type === 'agent_suspended';
  if (!(await storeAgentSuspensionIfNewer(em, envelope.aggregate_id, suspended, envelope.aggregate_version))) return;
  await setAgentSuspendedOnServices(em, envelope.aggregate_id, suspended);
}
