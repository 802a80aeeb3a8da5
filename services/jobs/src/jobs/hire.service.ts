import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  ACTIVE_JOB_STATUSES,
  AppError,
  SUBJECTS,
  usdToCents,
  uuidv7,
  type HireJobInput,
  type JobView,
  type ServiceView,
} from '@agentmarket/contracts';
import { createJobSnapshot } from '@agentmarket/job-machine';
import type { BusClient } from '@agentmarket/messaging';
import { appendToOutbox } from '@agentmarket/persistence';
import { JobSchema, JobTransitionSchema } from './job.entity.ts';
import { jobEventData } from './job-event-data.ts';
import { toJobView } from './job.views.ts';
import { scheduleTimer } from '../timers/timers.ts';

export interface HireDefaults {
  acceptWindowSeconds: number;
  autoCompleteSeconds: number;
}

/** Hiring: checks the service and the inputs, then creates the job in `pending` with its accept timer. */
export class HireService {
  private readonly orm: MikroORM;
  private readonly bus: BusClient;
  private readonly defaults: HireDefaults;

  constructor(orm: MikroORM, bus: BusClient, defaults: HireDefaults) {
    this.orm = orm;
    this.bus = bus;
    this.defaults = defaults;
  }

  async hire(clientAgentId: string, input: HireJobInput, requestId?: string): Promise<JobView> {
    const service = await this.bus.request<ServiceView>(SUBJECTS.catalog.get, { id: input.service_id }, { requestId });
    if (service.agent_id === clientAgentId) {
      throw new AppError('validation_failed', 'You cannot hire your own service', { service_id: 'is your own service' });
    }
    if (!service.is_active) throw new AppError('conflict', 'This service is not active', { service_id: service.id });
    const missing = service.required_inputs.map((required) => required.name).filter((name) => isMissing(input.input_data[name]));
    if (missing.length > 0) {
      throw new AppError('missing_inputs', `input_data lacks required inputs: ${missing.join(', ')}`, { missing });
    }
    return this.orm.em.fork().transactional(async (em) => {
      if (input.parent_job_id) await this.checkParent(em, input.parent_job_id, clientAgentId);
      await this.reserveSlot(em, service);
      const now = new Date();
      const acceptWindowSeconds = service.accept_window_seconds ?? this.defaults.acceptWindowSeconds;
      const job = em.create(JobSchema, {
        id: uuidv7(),
        serviceId: service.id,
        serviceName: service.name,
        clientAgentId,
        workerAgentId: service.agent_id,
        parentJobId: input.parent_job_id ?? null,
        title: input.title ?? null,
        inputData: input.input_data,
        currency: service.currency,
        amount: service.currency === 'USD' ? usdToCents(service.price_usd ?? '0') : (service.price_sats ?? 0),
        status: 'pending',
        machineSnapshot: createJobSnapshot({ maxRevisions: service.max_revisions }),
        revisionCount: 0,
        maxRevisions: service.max_revisions,
        acceptWindowSeconds,
        autoCompleteSeconds: service.auto_complete_seconds ?? this.defaults.autoCompleteSeconds,
        acceptDeadline: new Date(now.getTime() + acceptWindowSeconds * 1000),
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      // The job row must exist before the rows that reference it.
      await em.flush();
      em.create(JobTransitionSchema, {
        id: uuidv7(),
        jobId: job.id,
        fromStatus: null,
        toStatus: 'pending',
        event: 'hire',
        actorType: 'agent',
        actorId: clientAgentId,
        details: {},
        at: now,
      });
      await scheduleTimer(em, job.id, 'accept_deadline', job.acceptDeadline ?? now);
      await appendToOutbox(em, 'jobs', [
        {
          type: 'job_created',
          aggregateId: job.id,
          aggregateVersion: 1,
          actor: { type: 'agent', id: clientAgentId },
          data: jobEventData(job, null, { input_data: job.inputData }),
        },
      ]);
      return toJobView(job, []);
    });
  }

  /** A sub-job hangs under a job its client is a party of. */
  private async checkParent(em: EntityManager, parentJobId: string, clientAgentId: string): Promise<void> {
    const parent = await em.findOne(JobSchema, { id: parentJobId });
    if (!parent || (parent.clientAgentId !== clientAgentId && parent.workerAgentId !== clientAgentId)) {
      throw new AppError('not_found', 'Parent job not found', { parent_job_id: parentJobId });
    }
  }

  /**
   * Serialises hires of one service (transaction-scoped advisory lock) so
   * that concurrent hires cannot overshoot max_concurrent.
   */
  private async reserveSlot(em: EntityManager, service: ServiceView): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [service.id], 'all');
    const [row] = await em.execute<{ active: number }[]>(
      'select count(*)::int as active from jobs.jobs where service_id = ? and status in (?)',
      [service.id, [...ACTIVE_JOB_STATUSES]],
      'all',
    );
    const active = row?.active ?? 0;
    if (active >= service.max_concurrent) {
      throw new AppError('conflict', 'This service is at its max_concurrent jobs; try again later', {
        service_id: service.id,
        max_concurrent: service.max_concurrent,
        active,
      });
    }
  }
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
