import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  decodeCursor,
  encodeCursor,
  idCursor,
  uuidv7,
  type AcceptedBid,
  type Actor,
  type BidPage,
  type Caller,
  type Client,
  type JobView,
  type PlaceBidInput,
  type ServiceView,
} from '@agentmarket/contracts';
import { appendToOutbox } from '@agentmarket/persistence';
import type { BusClient } from '@agentmarket/messaging';
import type { HireService } from '../jobs/hire.service.ts';
import type { ServiceTermsCache } from '../jobs/service-terms-cache.ts';
import type { JobQueries } from '../jobs/job-queries.service.ts';
import type { BidRow } from './bid-rows.ts';
import { activeBids, bidPage, findBid, insertBid, rejectOtherBids, settleBid } from './bids.repository.ts';
import {
  attemptsOfTask,
  bumpTask,
  clearAcceptingBid,
  dueTaskIds,
  findTask,
  findTaskOrFail,
  insertBidAttempt,
  lockTask,
  setAcceptingBid,
} from './tasks.repository.ts';
import { toBidView } from './bid.views.ts';
import { scoreBids, type ScoredBid } from './bid-scoring.ts';
import { bidEvent, taskExpiredEvent } from './task-events.ts';
import type { Task } from './task.entity.ts';
import { toTaskView } from './task.views.ts';
import { JOBS_SCHEMA } from '../schema.ts';

const BIDS_LIST = idCursor('bids');
const SYSTEM: Actor = { type: 'system', id: null };

/** Refusals of an accepted bid's hire that end that acceptance (the task stays open, or the closer tries the next bid). */
const REFUSALS = new Set(['conflict', 'executor_unavailable', 'insufficient_funds', 'invalid_inputs', 'missing_inputs', 'not_found', 'validation_failed']);

/**
 * Bidding on open tasks: agents bid their services at a price within the
 * budget until the task closes; the poster accepts one (or, with
 * `auto_accept`, the closing loop hires the best-scored). Every step locks
 * the task row, so concurrent bids, withdrawals and acceptances of one task
 * run one at a time, and each writes its event in the same transaction.
 * An acceptance is recorded on the task before the hire starts, so only one
 * bid is ever hired and a crash mid-way resumes that same hire (its
 * idempotency key is the task and the bid).
 */
export class Bidding {
  private readonly orm: MikroORM;
  private readonly bus: BusClient;
  private readonly hiring: HireService;
  private readonly terms: ServiceTermsCache;
  private readonly queries: JobQueries;

  constructor(orm: MikroORM, bus: BusClient, hiring: HireService, terms: ServiceTermsCache, queries: JobQueries) {
    this.orm = orm;
    this.bus = bus;
    this.hiring = hiring;
    this.terms = terms;
    this.queries = queries;
  }

  async placeBid(taskId: string, bidderId: string, input: PlaceBidInput, requestId?: string) {
    const service = await this.terms.get(input.service_id, requestId).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'not_found' ? new AppError('validation_failed', 'No such service', { service_id: 'not found' }) : error;
    });
    return this.orm.em.fork().transactional(async (em) => {
      const task = await this.lockedOpenTask(em, taskId);
      checkBid(task, bidderId, service, input);
      const bid: BidRow = {
        id: uuidv7(),
        task_id: task.id,
        agent_id: bidderId,
        service_id: service.id,
        currency: service.currency,
        price: priceOf(input),
        eta_minutes: input.eta_minutes ?? null,
        note: input.note ?? null,
        status: 'active',
        job_id: null,
        created_at: new Date(),
      };
      await insertBid(em, bid);
      const version = await bumpTask(em, task.id);
      await appendToOutbox(em, JOBS_SCHEMA, [bidEvent('bid_placed', task, bid, version, { type: 'agent', id: bidderId }, { note: bid.note })]);
      return toBidView(bid, null, 'bidder');
    });
  }

  async withdrawBid(taskId: string, bidId: string, bidderId: string) {
    return this.orm.em.fork().transactional(async (em) => {
      const task = await this.lockedOpenTask(em, taskId);
      const bid = await findBid(em, taskId, bidId);
      if (!bid || bid.agent_id !== bidderId) throw new AppError('not_found', 'Bid not found', { bid_id: bidId });
      if (bid.status !== 'active') throw new AppError('conflict', `This bid is ${bid.status}`, { bid_id: bidId, status: bid.status });
      if (task.acceptingBidId === bid.id) throw new AppError('conflict', 'This bid is being accepted', { bid_id: bidId });
      await settleBid(em, bid.id, 'withdrawn');
      const version = await bumpTask(em, task.id);
      await appendToOutbox(em, JOBS_SCHEMA, [bidEvent('bid_withdrawn', task, bid, version, { type: 'agent', id: bidderId })]);
      return toBidView({ ...bid, status: 'withdrawn' }, null, 'bidder');
    });
  }

  /** The poster (and admins) see every bid, scored; a bidder only its own; anyone else nothing (404). */
  async listBids(taskId: string, caller: Caller, limit: number, cursor?: string, requestId?: string): Promise<BidPage> {
    // A malformed cursor is the caller's mistake whatever the task: 400 before anything is looked up.
    const after = cursor ? String(decodeCursor(cursor, BIDS_LIST).id) : undefined;
    const em = this.orm.em.fork();
    const task = await findTask(em, taskId);
    if (!task || task.mode !== 'bidding') throw new AppError('not_found', 'Task not found', { task_id: taskId });
    const poster = isPoster(task, caller) || caller.type === 'admin';
    const rows = await bidPage(em, taskId, poster ? undefined : (caller.id ?? ''), after, limit + 1);
    const page = rows.slice(0, limit);
    const scores = poster ? await scoreBids(em, this.bus, this.terms, task, page.filter((bid) => bid.status === 'active'), requestId) : new Map<string, ScoredBid>();
    return {
      data: page.map((bid) => toBidView(bid, scores.get(bid.id) ?? null, poster ? 'poster' : 'bidder')),
      next_cursor: rows.length > limit ? encodeCursor({ value: page.at(-1)!.id, id: page.at(-1)!.id }, BIDS_LIST.list) : null,
    };
  }

  /** The poster accepts a bid: the bid's service is hired at the bid's price, the other bids are rejected. */
  async acceptBid(taskId: string, bidId: string, client: Client, requestId?: string): Promise<AcceptedBid> {
    const task = await findTask(this.orm.em.fork(), taskId);
    if (!task || !isPoster(task, { type: client.type, id: client.id }) || task.mode !== 'bidding') throw new AppError('not_found', 'Task not found', { task_id: taskId });
    const job = await this.accept(task, bidId, { type: client.type, id: client.id }, requestId);
    return { task: await this.taskView(taskId, job), job };
  }

  /** Closes the bidding tasks past `closes_at` (the timer loop's other half); returns how many it closed. */
  async closeDueTasks(limit: number): Promise<number> {
    let closed = 0;
    let failure: unknown;
    for (const taskId of await dueTaskIds(this.orm.em.fork(), limit)) {
      // One task whose hire cannot finish now (payments unavailable) must not hold up the others; it is due again next pass.
      try {
        await this.closeTask(taskId);
        closed++;
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined && closed === 0) throw failure;
    return closed;
  }

  /**
   * Closes one due task: resumes an acceptance under way; with `auto_accept`
   * hires the best-scored active bid (the next one when a hire is refused);
   * otherwise, or when no bid could be hired, the task expires and its bids
   * are rejected. Safe to run twice, on any replica.
   */
  async closeTask(taskId: string): Promise<void> {
    const task = await findTask(this.orm.em.fork(), taskId);
    if (!task || task.status !== 'open') return;
    const tried = new Set<string>();
    if (task.acceptingBidId) {
      tried.add(task.acceptingBidId);
      if (await this.tryAccept(task, task.acceptingBidId)) return;
    }
    if (task.autoAccept) {
      const em = this.orm.em.fork();
      const ranked = [...(await scoreBids(em, this.bus, this.terms, task, await activeBids(em, task.id))).values()].toSorted((a, b) => b.score - a.score);
      for (const { bidId } of ranked.filter((scored) => !tried.has(scored.bidId))) {
        if (await this.tryAccept(task, bidId)) return;
      }
    }
    await this.expire(task.id);
  }

  /** An acceptance by the closer: true when it hired; a refusal (the bid's service is full, the poster cannot pay) is false. */
  private async tryAccept(task: Task, bidId: string): Promise<boolean> {
    try {
      await this.accept(task, bidId, SYSTEM);
      return true;
    } catch (error) {
      if (error instanceof AppError && (REFUSALS.has(error.code) || error.code === 'invalid_transition')) return false;
      throw error;
    }
  }

  private async accept(task: Task, bidId: string, actor: Actor, requestId?: string): Promise<JobView> {
    const bid = await this.reserveAcceptance(task.id, bidId);
    if (bid.status === 'accepted' && bid.job_id) return this.queries.get(bid.job_id, { type: 'admin', id: 'coordinator' });
    let job: JobView;
    try {
      job = await this.hiring.hire(
        posterOf(task),
        { service_id: bid.service_id, title: task.title, input_data: { description: task.description, ...task.inputData } },
        `task:${task.id}:bid:${bid.id}`,
        requestId,
        { agreedAmount: bid.price },
      );
    } catch (error) {
      // A refusal is final for this acceptance: the task takes bids (or acceptances) again. Anything else leaves it reserved for a retry or the closer.
      if (error instanceof AppError && REFUSALS.has(error.code)) await this.releaseAcceptance(task.id, bid.id);
      throw error;
    }
    await this.recordAcceptance(task.id, bid, job, actor);
    return job;
  }

  /** Records on the task which bid is being hired; answers the bid (already accepted: its job is the answer). */
  private async reserveAcceptance(taskId: string, bidId: string): Promise<BidRow> {
    return this.orm.em.fork().transactional(async (em) => {
      await lockTask(em, taskId);
      const task = await findTaskOrFail(em, taskId);
      const bid = await findBid(em, taskId, bidId);
      if (!bid) throw new AppError('not_found', 'Bid not found', { bid_id: bidId });
      if (bid.status === 'accepted') return bid;
      if (task.status !== 'open') throw new AppError('invalid_transition', `This task is ${task.status}`, { task_id: taskId, status: task.status });
      if (bid.status !== 'active') throw new AppError('conflict', `This bid is ${bid.status}`, { bid_id: bidId, status: bid.status });
      if (task.acceptingBidId && task.acceptingBidId !== bidId) {
        throw new AppError('conflict', 'Another bid is being accepted', { task_id: taskId, accepting_bid_id: task.acceptingBidId });
      }
      if (!task.acceptingBidId) {
        await setAcceptingBid(em, taskId, bidId);
      }
      return bid;
    });
  }

  private async releaseAcceptance(taskId: string, bidId: string): Promise<void> {
    await clearAcceptingBid(this.orm.em.fork(), taskId, bidId);
  }

  /** The hire happened: the task is assigned, the bid accepted, the others rejected; one transaction, once. */
  private async recordAcceptance(taskId: string, bid: BidRow, job: JobView, actor: Actor): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await lockTask(em, taskId);
      const task = await findTaskOrFail(em, taskId);
      if (task.status !== 'open') return;
      await settleBid(em, bid.id, 'accepted', job.id);
      const rejected = await rejectOtherBids(em, taskId, bid.id);
      await insertBidAttempt(em, { taskId, jobId: job.id, serviceId: bid.service_id, agentId: bid.agent_id, complexity: task.complexity });
      const version = await bumpTask(em, taskId, { status: 'assigned', currentJobId: job.id, acceptingBidId: null });
      await appendToOutbox(em, JOBS_SCHEMA, [
        bidEvent('bid_accepted', task, bid, version, actor, { job_id: job.id }),
        ...rejected.map((other) => bidEvent('bid_rejected', task, other, version, actor, { reason: 'another bid was accepted' })),
      ]);
    });
  }

  /** No hire: the task expires and its active bids are rejected; nothing was ever held. */
  private async expire(taskId: string): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await lockTask(em, taskId);
      const task = await findTaskOrFail(em, taskId);
      if (task.status !== 'open') return;
      const rejected = await rejectOtherBids(em, taskId, null);
      const version = await bumpTask(em, taskId, { status: 'expired', acceptingBidId: null });
      await appendToOutbox(em, JOBS_SCHEMA, [
        taskExpiredEvent(task, version, rejected.length),
        ...rejected.map((bid) => bidEvent('bid_rejected', task, bid, version, SYSTEM, { reason: 'the task closed without accepting this bid' })),
      ]);
    });
  }

  private async lockedOpenTask(em: EntityManager, taskId: string): Promise<Task> {
    if (!(await lockTask(em, taskId))) throw new AppError('not_found', 'Task not found', { task_id: taskId });
    const task = await findTaskOrFail(em, taskId);
    if (task.mode !== 'bidding') throw new AppError('not_found', 'Task not found', { task_id: taskId });
    if (task.status !== 'open' || (task.closesAt && task.closesAt.getTime() <= Date.now())) {
      throw new AppError('invalid_transition', 'This task no longer takes bids', { task_id: taskId, status: task.status });
    }
    if (task.acceptingBidId) throw new AppError('conflict', 'A bid on this task is being accepted', { task_id: taskId });
    return task;
  }

  private async taskView(taskId: string, job: JobView) {
    const em = this.orm.em.fork();
    const task = await findTaskOrFail(em, taskId);
    return toTaskView(task, await attemptsOfTask(em, taskId), job);
  }
}

/** What a bid must satisfy: by the service's owner, not the poster, covering the task's capabilities and inputs, in its currency, within its budget. */
function checkBid(task: Task, bidderId: string, service: ServiceView, input: PlaceBidInput): void {
  if (service.agent_id !== bidderId) throw new AppError('forbidden', 'You can only bid with your own services', { service_id: service.id });
  if (task.clientAgentId === bidderId) throw new AppError('validation_failed', 'You cannot bid on your own task', { task_id: task.id });
  if (!service.is_active) throw new AppError('conflict', 'This service is not active', { service_id: service.id });
  const offered = new Set(service.capabilities_required);
  const lacking = task.capabilitiesRequired.filter((capability) => !offered.has(capability));
  if (lacking.length > 0) throw new AppError('validation_failed', `The service lacks capabilities the task requires: ${lacking.join(', ')}`, { lacking });
  const currency = input.price_usd !== undefined ? 'USD' : 'SAT';
  if (currency !== task.currency || service.currency !== task.currency) {
    throw new AppError('validation_failed', `The task is paid in ${task.currency}: bid with ${task.currency === 'USD' ? 'price_usd' : 'price_sats'} and a ${task.currency} service`, {
      currency: task.currency,
    });
  }
  if (priceOf(input) > task.budget) throw new AppError('validation_failed', 'The price exceeds the task’s budget', { budget: task.budget, price: priceOf(input) });
  const inputKeys = new Set([...Object.keys(task.inputData), 'description']);
  const missing = service.required_inputs.map((required) => required.name).filter((name) => !inputKeys.has(name));
  if (missing.length > 0) throw new AppError('missing_inputs', `The task does not provide inputs the service requires: ${missing.join(', ')}`, { missing });
}

/** The bid's price in minor units (price_usd arrives as cents: the contract's schema converts it). */
function priceOf(input: PlaceBidInput): number {
  return input.price_usd ?? input.price_sats ?? 0;
}

function isPoster(task: Task, caller: { type: string; id: string | null }): boolean {
  return caller.type === 'user' ? task.clientUserId === caller.id : caller.type === 'agent' && task.clientAgentId === caller.id;
}

function posterOf(task: Task): Client {
  return task.clientUserId ? { type: 'user', id: task.clientUserId } : { type: 'agent', id: task.clientAgentId ?? '' };
}
