import { IsolationLevel, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  decodeCursor,
  encodeCursor,
  idCursor,
  type ListTasksQuery,
  type Page,
  priceFields,
  usdToCents,
  uuidv7,
  type Candidate,
  type Caller,
  type Client,
  type CreateTaskInput,
  type CreatedTask,
  type ExpectedPrice,
  type JobView,
  type TaskView,
} from '@agentmarket/contracts';
import { markKeyRecordedByUseCase, type BusClient } from '@agentmarket/messaging';
import { appendToOutbox } from '@agentmarket/persistence';
import type { HireService } from '../jobs/hire.service.ts';
import { JobQueries } from '../jobs/job-queries.service.ts';
import { rankCandidates } from './candidate-scoring.ts';
import { gatherCandidates, type TaskTerms } from './candidate-facts.ts';
import type { Task } from './task.entity.ts';
import {
  attemptsOfTask,
  findAttemptByJob,
  findBiddingTasks,
  findTask,
  findTaskByClientKey,
  findTaskOrFail,
  insertAttempt,
  insertTask,
  markTaskAssigned,
  markTaskUnassigned,
} from './tasks.repository.ts';
import { JOBS_SCHEMA } from '../schema.ts';
import { assignmentOf, toCreatedTask, toTaskView } from './task.views.ts';
import { taskPostedEvent } from './task-events.ts';

const TASKS_LIST = idCursor('tasks');

/** Hire refusals that mean "not this candidate, try the next" rather than "stop" (a price changed since scoring is one). */
const SKIPPABLE = new Set(['conflict', 'executor_unavailable', 'invalid_inputs', 'missing_inputs', 'not_found', 'price_changed']);

/**
 * The coordinator: places an open task with the best-scoring service that
 * covers it within budget, hiring it with escrow like any client would, and
 * moves it to the next candidate when the chosen worker does not start in
 * time (its job expires, which also counts against that worker's record).
 */
export class Coordinator {
  private readonly orm: MikroORM;
  private readonly bus: BusClient;
  private readonly hiring: HireService;
  private readonly queries: JobQueries;

  constructor(orm: MikroORM, bus: BusClient, hiring: HireService, queries: JobQueries) {
    this.orm = orm;
    this.bus = bus;
    this.hiring = hiring;
    this.queries = queries;
  }

  async createTask(client: Client, input: CreateTaskInput, idempotencyKey?: string, requestId?: string): Promise<CreatedTask> {
    // The saga keys the task row itself with the client's Idempotency-Key (unique per client).
    if (idempotencyKey) markKeyRecordedByUseCase();
    const earlier = idempotencyKey ? await this.findByKey(client, idempotencyKey) : undefined;
    if (input.mode === 'bidding' || earlier?.mode === 'bidding') {
      const task = earlier ?? (await this.openForBids(client, input, idempotencyKey));
      return toCreatedTask(task, null, null);
    }
    const task = earlier ?? (await this.openTask(client, input, idempotencyKey, requestId));
    const job = task.currentJobId ? await this.currentJob(task, client) : await this.placeWithNext(task, requestId);
    const attempts = await attemptsOfTask(this.orm.em.fork(), task.id);
    const assignment = assignmentOf({ ...task, currentJobId: job.id }, attempts);
    if (!assignment) throw new AppError('internal', 'The task has a job but no assignment');
    return toCreatedTask({ ...task, status: 'assigned' }, job, assignment);
  }

  /**
   * A task's poster and admins see all of it, and so does the worker hired
   * through a bid; anyone may see a bidding task's terms. A coordinator's
   * task is its poster's business only: not found for anyone else.
   */
  async get(taskId: string, caller: Caller): Promise<TaskView> {
    // One snapshot: a reassignment writes the new attempt and the task's current job together, and a view that
    // read the task before it and the attempts after it would pair the old job with the new attempts.
    const { task, attempts } = await this.orm.em.fork().transactional(
      async (em) => {
        const found = await findTask(em, taskId);
        return { task: found, attempts: found ? await attemptsOfTask(em, taskId) : [] };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
    if (!task || (!isOwner(task, caller) && task.mode !== 'bidding')) throw new AppError('not_found', 'Task not found', { task_id: taskId });
    const job = task.currentJobId ? await this.queries.get(task.currentJobId, { type: 'admin', id: 'coordinator' }).catch(() => null) : null;
    const party = isOwner(task, caller) || (caller.type === 'agent' && job?.worker_agent_id === caller.id);
    return toTaskView(task, attempts, job, party ? 'party' : 'public');
  }

  /** The market's bidding tasks in one status (open by default), newest first, optionally those needing one capability. Terms only. */
  async list(query: ListTasksQuery): Promise<Page<TaskView>> {
    const after = query.cursor ? String(decodeCursor(query.cursor, TASKS_LIST).id) : null;
    const rows = await findBiddingTasks(this.orm.em.fork(), query, after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    return {
      data: page.map((task) => toTaskView(task, [], null, 'public')),
      next_cursor: rows.length > query.limit ? encodeCursor({ value: page.at(-1)!.id, id: page.at(-1)!.id }, TASKS_LIST.list) : null,
    };
  }

  /** A bidding task: stored open, announced (`task_posted`) in the same transaction; no candidates, nothing held. */
  private async openForBids(client: Client, input: CreateTaskInput, idempotencyKey?: string): Promise<Task> {
    const now = new Date();
    const task = newTask(client, input, idempotencyKey, now, {
      status: 'open',
      mode: 'bidding',
      autoAccept: input.auto_accept,
      closesAt: new Date(now.getTime() + (input.bidding_seconds ?? 0) * 1000),
      candidates: [],
    });
    try {
      await this.orm.em.fork().transactional(async (em) => {
        await insertTask(em, task);
        await appendToOutbox(em, JOBS_SCHEMA, [taskPostedEvent(task, client)]);
      });
    } catch (error) {
      // Two identical requests raced: the loser answers with the winner's task.
      const winner = error instanceof UniqueConstraintViolationException && idempotencyKey ? await this.findByKey(client, idempotencyKey) : undefined;
      if (winner) return winner;
      throw error;
    }
    return task;
  }

  /** A task job expired: the task goes to the next candidate. Safe to run twice for one expiry. */
  async onJobExpired(jobId: string): Promise<void> {
    const attempt = await findAttemptByJob(this.orm.em.fork(), jobId);
    if (!attempt) return;
    const task = await findTaskOrFail(this.orm.em.fork(), attempt.taskId);
    if (task.currentJobId !== jobId) return;
    await this.placeWithNext(task).catch(async (error: unknown) => {
      if (error instanceof AppError && error.code !== 'unavailable') await this.markUnassigned(task.id);
      else throw error;
    });
  }

  /** Scores the candidates and stores the task (unassigned) with them; 422 `no_candidate` with the reason when there is none. */
  private async openTask(client: Client, input: CreateTaskInput, idempotencyKey?: string, requestId?: string): Promise<Task> {
    const currency = input.budget_usd !== undefined ? 'USD' : 'SAT';
    const terms: TaskTerms = {
      capabilities: input.capabilities_required,
      currency,
      budget: input.budget_usd ?? input.budget_sats ?? 0,
      complexity: input.complexity,
      inputKeys: [...Object.keys(input.input_data), 'description'],
    };
    const em = this.orm.em.fork();
    const { facts, services } = await gatherCandidates(em, this.bus, client, terms, requestId);
    const ranked = rankCandidates(facts, { capabilities: terms.capabilities, budget: terms.budget, complexity: terms.complexity });
    if (ranked.length === 0) throw noCandidate(facts.length, terms);
    const candidates: Candidate[] = ranked.map(({ facts: candidate, parts, score }) => ({
      service_id: candidate.serviceId,
      agent_id: candidate.agentId,
      agent_name: services.get(candidate.serviceId)?.agent_name ?? '',
      currency,
      ...priceFields({ currency, amount: candidate.price }),
      score,
      breakdown: parts,
    }));
    return insertTask(em, newTask(client, input, idempotencyKey, new Date(), { status: 'unassigned', mode: 'auto', autoAccept: false, closesAt: null, candidates }));
  }

  /**
   * Hires the best candidate not tried yet (skipping any that refuses: full,
   * inactive, hosted without a model) and records the attempt. The hire's
   * idempotency key is the task and attempt number, so a repeat after a crash
   * continues the same job instead of hiring twice.
   */
  private async placeWithNext(task: Task, requestId?: string): Promise<JobView> {
    const em = this.orm.em.fork();
    const attempts = await attemptsOfTask(em, task.id);
    const tried = new Set(attempts.map((attempt) => attempt.serviceId));
    const client: Client = task.clientUserId ? { type: 'user', id: task.clientUserId } : { type: 'agent', id: task.clientAgentId ?? '' };
    const attemptNumber = attempts.length + 1;
    for (const candidate of task.candidates.filter((c) => !tried.has(c.service_id))) {
      let job: JobView;
      try {
        // The price the candidate was scored (and fitted to the budget) at is pinned; load counts only started jobs.
        job = await this.hiring.hire(
          client,
          {
            service_id: candidate.service_id,
            title: task.title,
            input_data: { description: task.description, ...task.inputData },
            expected_price: scoredPrice(candidate),
          },
          `task:${task.id}:${attemptNumber}:${candidate.service_id}`,
          requestId,
          { slots: 'started' },
        );
      } catch (error) {
        if (error instanceof AppError && SKIPPABLE.has(error.code)) continue;
        throw error;
      }
      await this.orm.em.fork().transactional(async (tx) => {
        await insertAttempt(tx, {
          taskId: task.id,
          attempt: attemptNumber,
          jobId: job.id,
          serviceId: candidate.service_id,
          agentId: candidate.agent_id,
          complexity: task.complexity,
        });
        await markTaskAssigned(tx, task.id, job.id);
      });
      return job;
    }
    await this.markUnassigned(task.id);
    throw new AppError('no_candidate', 'No candidate service could take this task', { task_id: task.id, tried: tried.size });
  }

  private async markUnassigned(taskId: string): Promise<void> {
    await markTaskUnassigned(this.orm.em.fork(), taskId);
  }

  private async currentJob(task: Task, client: Client): Promise<JobView> {
    return this.queries.get(task.currentJobId ?? '', client);
  }

  private async findByKey(client: Client, idempotencyKey: string): Promise<Task | undefined> {
    const owner = client.type === 'user' ? { clientUserId: client.id } : { clientAgentId: client.id };
    return findTaskByClientKey(this.orm.em.fork(), owner, idempotencyKey);
  }
}

/** A new task row: the poster's terms, and what its mode decides (status, closing, candidates). */
function newTask(
  client: Client,
  input: CreateTaskInput,
  idempotencyKey: string | undefined,
  now: Date,
  placing: Pick<Task, 'status' | 'mode' | 'autoAccept' | 'closesAt' | 'candidates'>,
): Task {
  return {
    id: uuidv7(),
    clientAgentId: client.type === 'agent' ? client.id : null,
    clientUserId: client.type === 'user' ? client.id : null,
    title: input.title,
    description: input.description,
    capabilitiesRequired: input.capabilities_required,
    complexity: input.complexity,
    currency: input.budget_usd !== undefined ? 'USD' : 'SAT',
    budget: input.budget_usd ?? input.budget_sats ?? 0,
    inputData: input.input_data,
    ...placing,
    currentJobId: null,
    idempotencyKey: idempotencyKey ?? null,
    acceptingBidId: null,
    bidCount: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function isOwner(task: Task, caller: Caller): boolean {
  return caller.type === 'admin' || (caller.type === 'user' ? task.clientUserId === caller.id : task.clientAgentId === caller.id);
}

function scoredPrice(candidate: Candidate): ExpectedPrice {
  return candidate.currency === 'USD' ? { price_usd: usdToCents(candidate.price_usd ?? '0') } : { price_sats: candidate.price_sats ?? 0 };
}

function noCandidate(considered: number, terms: TaskTerms): AppError {
  const reason =
    considered === 0
      ? `no active ${terms.currency} service within the budget offers ${terms.capabilities.join(', ')} with inputs this task can fill`
      : 'every service within the budget lacks a required capability or is at its max_concurrent';
  return new AppError('no_candidate', `No candidate for this task: ${reason}`, { reason, considered });
}
