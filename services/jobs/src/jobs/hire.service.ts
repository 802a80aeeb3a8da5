import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  ACTIVE_JOB_STATUSES,
  AppError,
  STARTED_JOB_STATUSES,
  SUBJECTS,
  llmWorkSubject,
  minorUnitsOf,
  usdToCents,
  uuidv7,
  type Client,
  type ExecutorStatus,
  type HireJobInput,
  type HoldView,
  type JobStatus,
  type JobView,
  type ServiceView,
} from '@agentmarket/contracts';
import { TERMINAL_JOB_STATUSES, createJobSnapshot } from '@agentmarket/job-machine';
import { markKeyRecordedByUseCase, type BusClient } from '@agentmarket/messaging';
import type { NewEvent } from '@agentmarket/persistence';
import type { Deliverable, Job } from './job.entity.ts';
import {
  findFundedJob,
  findJobByClientKey,
  findPendingHoldsCreatedBefore,
  insertJobWithinCapacity,
  loadJob,
  markUnfunded,
} from './jobs.repository.ts';
import { writeJobChange } from './job-changes.repository.ts';
import { clientOf } from './job-access.ts';
import { jobEventData } from './job-event-data.ts';
import { toJobView } from './job.views.ts';
import { JobVersionConflict } from './conflict-retry.ts';
import { checkExpectedPrice } from './expected-price.ts';
import { effectiveWindows, type WindowPolicy } from './job-windows.ts';
import type { ServiceTermsCache } from './service-terms-cache.ts';
import { InputSchemaValidators } from './input-schema-validators.ts';
import type { RecentJobs } from './recent-jobs.ts';

/**
 * How a hire counts the service's jobs against `max_concurrent`: a client's
 * hire counts every active job; the coordinator's counts only started ones,
 * so pending hires squatting a worker's slots (they expire by the accept
 * window) cannot keep a task from it.
 */
export type SlotCounting = 'active' | 'started';

/** How the market (not a client's request) hires: the coordinator counts slots its way; an accepted bid pins its price. */
export interface HireTerms {
  slots?: SlotCounting;
  /** The price agreed in a bid, in minor units of the service's currency, instead of the listed one. */
  agreedAmount?: number;
}

/**
 * Hiring is a saga over two services: (1) the job is stored as
 * `pending_hold` (invisible, no events); (2) payments places the hold (the
 * job id is the hold id, so a repeat is answered with the same hold);
 * (3) the job becomes `funded` — its `job_created` event, history row and
 * accept timer — or `unfunded` when the client cannot pay. A crash or a
 * timeout between the steps leaves `pending_hold`, which the recovery loop
 * (or a retry with the same Idempotency-Key) carries on from step 2.
 */
export class HireService {
  private readonly orm: MikroORM;
  private readonly bus: BusClient;
  private readonly terms: ServiceTermsCache;
  private readonly windows: WindowPolicy;
  /** The services' input schemas, compiled once each: the terms carry the schema, so checking it costs no bus round trip. */
  private readonly inputSchemas: InputSchemaValidators;

  /** Where a funded job is left for its first transition (recent-jobs.ts). */
  private readonly recentJobs: RecentJobs;

  constructor(orm: MikroORM, bus: BusClient, terms: ServiceTermsCache, windows: WindowPolicy, recentJobs: RecentJobs, inputSchemas = new InputSchemaValidators()) {
    this.orm = orm;
    this.recentJobs = recentJobs;
    this.bus = bus;
    this.terms = terms;
    this.windows = windows;
    this.inputSchemas = inputSchemas;
  }

  async hire(client: Client, input: HireJobInput, idempotencyKey?: string, requestId?: string, terms: HireTerms = {}): Promise<JobView> {
    // The saga keys the job row itself with the client's Idempotency-Key (unique per client).
    if (idempotencyKey) markKeyRecordedByUseCase();
    const earlier = idempotencyKey ? await this.findByKey(client, idempotencyKey) : undefined;
    const job = earlier ?? (await this.createPendingJob(client, input, terms, idempotencyKey, requestId));
    return this.fund(job, requestId);
  }

  /** Step 2 and 3 for one job; safe to run again, from any replica, at any time. */
  async fund(job: Job, requestId?: string): Promise<JobView> {
    if (job.fundingStatus === 'unfunded') throw cannotPay(job);
    if (job.fundingStatus === 'pending_hold') {
      let hold: HoldView;
      try {
        hold = await this.bus.request<HoldView>(
          SUBJECTS.payments.hold,
          {
            hold_id: job.id,
            payer: clientOf(job),
            payee_agent_id: job.workerAgentId,
            currency: job.currency,
            amount: job.amount,
            ...(job.subtaskBudget > 0 ? { budget: job.subtaskBudget } : {}),
            ...(job.fundFromParent && job.parentJobId ? { funded_by_job_id: job.parentJobId } : {}),
            ...(job.evaluatorAgentId && job.evaluatorHoldId
              ? { evaluator: { hold_id: job.evaluatorHoldId, agent_id: job.evaluatorAgentId, amount: job.evaluatorFee } }
              : {}),
          },
          { requestId },
        );
      } catch (error) {
        // `unavailable` leaves the job pending_hold: the hold may or may not exist, and only payments knows.
        if (error instanceof AppError && (error.code === 'insufficient_funds' || error.code === 'budget_exhausted' || error.code === 'conflict')) {
          await this.giveUp(job, requestId);
          throw error.code === 'conflict' ? cannotPay(job) : error;
        }
        throw error;
      }
      // A hold given up meanwhile (refunded, abandoned) must never fund the job.
      if (hold.status !== 'held') {
        await this.giveUp(job, requestId);
        throw cannotPay(job);
      }
    }
    return this.markFunded(job);
  }

  /** Jobs stuck in pending_hold for longer than `olderThanSeconds`: their sagas are continued (or given up after `giveUpSeconds`). Returns how many reached an end. */
  async resumePending(olderThanSeconds: number, giveUpSeconds: number, limit: number): Promise<number> {
    const stuck = await findPendingHoldsCreatedBefore(this.orm.em.fork(), new Date(Date.now() - olderThanSeconds * 1000), limit);
    let settled = 0;
    for (const job of stuck) {
      try {
        if (job.createdAt.getTime() < Date.now() - giveUpSeconds * 1000) await this.giveUp(job);
        else await this.fund(job);
        settled++;
      } catch (error) {
        // A refusal is final and recorded (the job is unfunded); an unavailable payments service is tried at the next pass.
        if (error instanceof AppError && error.code !== 'unavailable') settled++;
      }
    }
    return settled;
  }

  /** Abandons the holds first (refunding one that exists, fencing a late one: the price's and the evaluator fee's), then marks the job unfunded. */
  private async giveUp(job: Job, requestId?: string): Promise<void> {
    await this.bus.request<HoldView>(SUBJECTS.payments.abandon, { hold_id: job.id }, { requestId });
    if (job.evaluatorHoldId) await this.bus.request<HoldView>(SUBJECTS.payments.abandon, { hold_id: job.evaluatorHoldId }, { requestId });
    await markUnfunded(this.orm.em.fork(), job.id);
  }

  /**
   * Step 3: the job exists for everyone from now on; only the first call
   * does anything. One statement, no transaction around it: the job as the
   * saga holds it is written back if it is still that version and still
   * pending_hold (a pending job has no timers to clear); otherwise it is
   * read again to see who won.
   */
  private async markFunded(pending: Job): Promise<JobView> {
    const em = this.orm.em.fork();
    const reload = async () => {
      const loaded = await loadJob(em, pending.id);
      if (!loaded) throw new Error(`Job ${pending.id} vanished`);
      return loaded;
    };
    // A job past its hold (a retried hire) is answered as it is now, deliverables and all.
    let { job, deliverables } = pending.fundingStatus === 'pending_hold' ? { job: { ...pending }, deliverables: [] as Deliverable[] } : await reload();
    for (let attempt = 1; ; attempt++) {
      if (job.fundingStatus === 'funded') return toJobView(job, deliverables);
      if (job.fundingStatus === 'unfunded') throw cannotPay(job);
      try {
        await writeFunding(em, job);
        const view = toJobView(job, []);
        this.recentJobs.remember({ job, deliverables: [] });
        return view;
      } catch (error) {
        if (!(error instanceof JobVersionConflict) || attempt >= 3) throw error;
        ({ job, deliverables } = await reload());
      }
    }
  }

  /** Step 1: checks the service and the inputs, reserves a slot and stores the job as pending_hold. */
  private async createPendingJob(client: Client, input: HireJobInput, terms: HireTerms, idempotencyKey?: string, requestId?: string): Promise<Job> {
    const service = await this.terms.get(input.service_id, requestId);
    // Before anything else: a buyer who saw another price must look again, whatever else is wrong.
    if (input.expected_price) checkExpectedPrice(input.expected_price, service);
    if (client.type === 'agent' && service.agent_id === client.id) {
      throw new AppError('validation_failed', 'You cannot hire your own service', { service_id: 'is your own service' });
    }
    if (!service.is_active) throw new AppError('conflict', 'This service is not active', { service_id: service.id });
    if (service.hosted) await this.requireExecutor(requestId);
    const missing = service.required_inputs.map((required) => required.name).filter((name) => isMissing(input.input_data[name]));
    if (missing.length > 0) {
      throw new AppError('missing_inputs', `input_data lacks required inputs: ${missing.join(', ')}`, { missing });
    }
    // Checked before the job row exists: a refused hire holds nothing and leaves no job behind.
    this.inputSchemas.check(service, input.input_data);
    const subtaskBudget = subtaskBudgetOf(input, service);
    const evaluator = await this.evaluatorOf(input, service, client, requestId);
    const parent = input.parent_job_id ? await this.checkParent(this.orm.em.fork(), input.parent_job_id, client) : undefined;
    if (input.fund_from_parent) checkBudgetSource(parent, client, service);
    const now = new Date();
    const windows = effectiveWindows(service, this.windows);
    const id = uuidv7();
    const job: Job = {
      id,
      serviceId: service.id,
      serviceName: service.name,
      clientAgentId: client.type === 'agent' ? client.id : null,
      clientUserId: client.type === 'user' ? client.id : null,
      workerAgentId: service.agent_id,
      parentJobId: input.parent_job_id ?? null,
      rootJobId: parent ? parent.rootJobId : id,
      title: input.title ?? null,
      inputData: input.input_data,
      currency: service.currency,
      amount: terms.agreedAmount ?? (service.currency === 'USD' ? usdToCents(service.price_usd ?? '0') : (service.price_sats ?? 0)),
      status: 'pending',
      machineSnapshot: createJobSnapshot({ maxRevisions: service.max_revisions }),
      rating: null,
      review: null,
      revisionCount: 0,
      maxRevisions: service.max_revisions,
      acceptWindowSeconds: windows.acceptWindowSeconds,
      autoCompleteSeconds: windows.autoCompleteSeconds,
      deliveryWindowSeconds: windows.deliveryWindowSeconds,
      estimatedMinutes: service.estimated_minutes,
      fundingStatus: 'pending_hold',
      idempotencyKey: idempotencyKey ?? null,
      hosted: service.hosted !== null,
      acceptDeadline: null,
      autoCompleteAt: null,
      deliveryDeadline: null,
      pendingExtension: null,
      subtaskBudget,
      fundFromParent: input.fund_from_parent === true,
      evaluatorAgentId: evaluator?.agentId ?? null,
      evaluatorFee: evaluator?.fee ?? 0,
      evaluatorHoldId: evaluator ? uuidv7() : null,
      dispute: null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      deliveredAt: null,
      completedAt: null,
      version: 1,
    };
    try {
      await this.reserveSlotAndInsert(job, service, terms.slots ?? 'active');
      return job;
    } catch (error) {
      // Two identical requests raced: the loser continues the winner's saga.
      const winner = error instanceof UniqueConstraintViolationException && idempotencyKey ? await this.findByKey(client, idempotencyKey) : undefined;
      if (winner) return winner;
      throw error;
    }
  }

  /**
   * The hire's evaluator: named with its fee, or neither; an agent that
   * exists (identity knows it) and is neither party; the fee in the
   * service's currency. Undefined when the hire names none.
   */
  private async evaluatorOf(input: HireJobInput, service: ServiceView, client: Client, requestId?: string): Promise<{ agentId: string; fee: number } | undefined> {
    if (input.evaluator_agent_id === undefined && input.evaluator_fee === undefined) return undefined;
    if (input.evaluator_agent_id === undefined || input.evaluator_fee === undefined) {
      throw new AppError('validation_failed', 'Send evaluator_agent_id and evaluator_fee together', { evaluator_fee: 'required with evaluator_agent_id, and only then' });
    }
    const agentId = input.evaluator_agent_id.toLowerCase();
    if (agentId === service.agent_id || (client.type === 'agent' && agentId === client.id)) {
      throw new AppError('validation_failed', 'The evaluator must be neither the client nor the worker', { evaluator_agent_id: 'is a party of the job' });
    }
    const fee = minorUnitsOf(service.currency, input.evaluator_fee);
    if (fee === undefined || fee === 0) {
      throw new AppError('validation_failed', `evaluator_fee must be a positive amount in ${service.currency}, the service's currency`, { evaluator_fee: 'invalid amount' });
    }
    const known = await this.bus.request<{ id: string }[]>(SUBJECTS.identity.batchGet, { ids: [agentId] }, { requestId });
    if (known.length === 0) throw new AppError('validation_failed', 'No such agent', { evaluator_agent_id: 'not found' });
    return { agentId, fee };
  }

  /** Hosted services are hired only while the executor has a model and its provider is not failing. */
  private async requireExecutor(requestId?: string): Promise<void> {
    const status = await this.bus
      .request<ExecutorStatus>(SUBJECTS.executor.status, {}, { requestId, timeoutMs: 2000 })
      .catch(() => undefined);
    if (!status?.model_configured) {
      throw new AppError('executor_unavailable', 'Hosted services cannot be hired now: the platform’s LLM executor has no model configured or is down', {});
    }
  }

  private async findByKey(client: Client, idempotencyKey: string): Promise<Job | undefined> {
    const owner = client.type === 'user' ? { clientUserId: client.id } : { clientAgentId: client.id };
    return findJobByClientKey(this.orm.em.fork(), owner, idempotencyKey);
  }

  /** A sub-job hangs under a job its client is a party of; the parent is returned for its tree's root. */
  private async checkParent(em: EntityManager, parentJobId: string, client: Client): Promise<Job> {
    const parent = await findFundedJob(em, parentJobId);
    const isParty =
      parent && (client.type === 'user' ? parent.clientUserId === client.id : parent.clientAgentId === client.id || parent.workerAgentId === client.id);
    if (!isParty) {
      throw new AppError('not_found', 'Parent job not found', { parent_job_id: parentJobId });
    }
    return parent;
  }

  /**
   * Inserts the job if the service has room: hires of one service are
   * serialised (an advisory lock) so that concurrent hires cannot overshoot
   * max_concurrent, in one round trip (insertJobWithinCapacity). Jobs still
   * waiting for their hold count: they may become workable any moment. With
   * `started`, only jobs the worker has taken on count (see SlotCounting).
   */
  private async reserveSlotAndInsert(job: Job, service: ServiceView, slots: SlotCounting): Promise<void> {
    const counted = slots === 'started' ? STARTED_JOB_STATUSES : ACTIVE_JOB_STATUSES;
    const active = await insertJobWithinCapacity(this.orm.em.fork(), job, service.max_concurrent, counted);
    if (active !== undefined) {
      throw new AppError('conflict', 'This service is at its max_concurrent jobs; try again later', {
        service_id: service.id,
        max_concurrent: service.max_concurrent,
        active,
      });
    }
  }
}

/** Step 3's write: funded, its accept deadline and timer, the `hire` history row, `job_created` (and a hosted job's work item). */
async function writeFunding(em: EntityManager, job: Job): Promise<void> {
  const now = new Date();
  job.fundingStatus = 'funded';
  job.acceptDeadline = new Date(now.getTime() + job.acceptWindowSeconds * 1000);
  job.updatedAt = now;
  const client = clientOf(job);
  const created = { ...job, version: job.version + 1 };
  await writeJobChange(em, {
    job,
    clearTimers: false,
    onlyIfPendingHold: true,
    timer: { kind: 'accept_deadline', dueAt: job.acceptDeadline },
    history: { fromStatus: null, toStatus: 'pending', event: 'hire', actor: client, details: {}, at: now },
    events: [
      { type: 'job_created', aggregateId: job.id, aggregateVersion: created.version, actor: client, data: jobEventData(created, null, { input_data: job.inputData }) },
      // A hosted job's work item goes out with its creation, through the same outbox: never one without the other.
      ...(job.hosted ? [llmWorkItem(created)] : []),
    ],
  });
}

function llmWorkItem(job: Job): NewEvent {
  return {
    type: 'llm_work_requested',
    aggregateId: job.id,
    aggregateVersion: job.version,
    actor: { type: 'system', id: null },
    data: { job_id: job.id, service_id: job.serviceId, worker_agent_id: job.workerAgentId, title: job.title ?? null, input_data: job.inputData },
    subject: llmWorkSubject(job.id),
  };
}

function cannotPay(job: Job): AppError {
  if (job.fundFromParent) {
    return new AppError('budget_exhausted', 'The parent job’s subtask budget cannot cover this hire', {
      parent_job_id: job.parentJobId,
      currency: job.currency,
      amount: job.amount + job.subtaskBudget,
    });
  }
  return new AppError('insufficient_funds', 'Your wallet cannot cover this job', { currency: job.currency, amount: job.amount });
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The hire's subtask budget in minor units of the service's currency (0 for none). */
function subtaskBudgetOf(input: HireJobInput, service: ServiceView): number {
  if (input.subtask_budget === undefined) return 0;
  const amount = minorUnitsOf(service.currency, input.subtask_budget);
  if (amount === undefined) {
    throw new AppError('validation_failed', `subtask_budget must be an amount in ${service.currency === 'USD' ? 'USD, e.g. "5.00"' : 'whole sats'}, the service's currency`, {
      subtask_budget: 'invalid amount',
    });
  }
  return amount;
}

/**
 * A sub-job paid from its parent's subtask budget: only the parent's worker
 * may hire it (the budget is the worker's to spend), the parent must have a
 * budget, in the same currency, and still be under way.
 */
function checkBudgetSource(parent: Job | undefined, client: Client, service: ServiceView): void {
  if (!parent) throw new AppError('validation_failed', 'fund_from_parent needs parent_job_id', { parent_job_id: 'required with fund_from_parent' });
  if (client.type !== 'agent' || parent.workerAgentId !== client.id) {
    throw new AppError('forbidden', 'Only the parent job’s worker may spend its subtask budget', { parent_job_id: parent.id });
  }
  if (parent.subtaskBudget === 0) throw new AppError('budget_exhausted', 'The parent job has no subtask budget', { parent_job_id: parent.id });
  if (parent.currency !== service.currency) {
    throw new AppError('validation_failed', `The parent’s budget is in ${parent.currency}; this service is priced in ${service.currency}`, { currency: service.currency });
  }
  if (TERMINAL_JOB_STATUSES.includes(parent.status as JobStatus)) {
    throw new AppError('budget_exhausted', `The parent job is ${parent.status}: its budget went back to its client`, { parent_job_id: parent.id });
  }
}
