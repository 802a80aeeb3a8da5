import type { Message, Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { A2AError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import { AppError, type JobView } from '@agentmarket/contracts';
import { TargetRefused } from '@agentmarket/net-guard';
import type { Logger } from '@agentmarket/observability';
import type { MarketPort } from '../work/market-port.ts';
import type { Settlement } from '@agentmarket/messaging';
import type { WorkRunner } from '@agentmarket/messaging';
import type { A2aRound, A2aTasksRepository } from './a2a-tasks.repository.ts';
import { sellerClient } from './seller-client.ts';
import type { SellerEndpoints } from './seller-endpoints.ts';
import { deliverableOf } from './seller-deliverable.ts';
import { sellerMessage } from './seller-message.ts';
import { sellerStep } from './seller-task-states.ts';
import { messageIdOf, readSellerWork, type SellerWork } from './seller-work.ts';

export interface A2aJobRunnerOptions {
  market: MarketPort;
  /** Which workers have an A2A endpoint, without asking identity for every hire. */
  sellers: SellerEndpoints;
  rounds: A2aTasksRepository;
  /** Every request to a seller goes through it: checked by the outbound guard, pinned to the checked address, timed out. */
  guardedFetch: typeof fetch;
  /** The longest a seller's task is followed after it was sent (the job's delivery deadline cuts it shorter). */
  maxFollowMs: number;
  /** The consumer's max_deliver: the last delivery fails the job instead of asking for another. */
  maxDeliver: number;
  /** Shutdown: following stops and the message goes back for another replica, which resumes the same task. */
  shutdown: AbortSignal;
  logger: Logger;
  /** The first and the longest wait between two GetTask polls (doubling between them). */
  pollMs?: { first: number; max: number };
}

/** Redelivery delays while the seller's endpoint, jobs or the database fail, by delivery; the last repeats. */
const RETRY_MS = [2000, 10_000, 30_000, 60_000];
const DEFAULT_POLL_MS = { first: 500, max: 15_000 };

type Done = { done: Settlement };

/**
 * Does one round of a job whose seller sells through its own A2A agent, for
 * one delivery of its job event: sends the message (once: the round is
 * recorded before the send, the seller's task id after it), then follows the
 * seller's task with GetTask until it ends, starting the job when the task is
 * accepted and delivering or failing it when the task ends. A redelivery
 * (a crash, a shutdown) resumes following the recorded task; a job that
 * moved on meanwhile is left alone.
 */
export class A2aJobRunner implements WorkRunner {
  private readonly options: A2aJobRunnerOptions;
  private readonly pollMs: { first: number; max: number };

  constructor(options: A2aJobRunnerOptions) {
    this.options = options;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  }

  async run(data: Uint8Array, deliveryCount: number): Promise<Settlement> {
    const item = readSellerWork(data);
    if (!item.ok) return { kind: 'dead_letter', reason: item.reason };
    const work = item.work;
    if (!work) return { kind: 'ack', result: 'skipped', note: 'not a hire or a revision request' };
    const logger = this.options.logger.child({ job_id: work.jobId, round: work.round, delivery: deliveryCount });
    let settlement: Settlement;
    try {
      settlement = await this.work(work, deliveryCount, logger);
    } catch (error) {
      settlement = this.troubleAround(error, deliveryCount);
    }
    if (settlement.kind === 'nak' && deliveryCount >= this.options.maxDeliver) {
      settlement = await this.giveUp(work, `The seller's A2A agent could not be reached after ${deliveryCount} tries (last: ${settlement.note})`);
    }
    if (settlement.kind === 'ack' && settlement.result !== 'skipped') logger.info({ result: settlement.result, note: settlement.note }, 'A2A seller round ended');
    else if (settlement.kind !== 'ack') logger.warn({ settlement }, 'A2A seller round not finished');
    return settlement;
  }

  private async work(work: SellerWork, deliveryCount: number, logger: Logger): Promise<Settlement> {
    const { market, rounds } = this.options;
    // A hire's first delivery: no round can exist for it yet, so most hires (workers without an endpoint) end here, unread.
    const firstHireDelivery = work.round === 0 && deliveryCount === 1;
    const hireUrl = firstHireDelivery ? await this.a2aUrlOfHire(work) : undefined;
    if (firstHireDelivery && !hireUrl) return { kind: 'ack', result: 'skipped', note: 'the worker takes its jobs through the API' };
    let round = await rounds.find(work.jobId, work.round);
    if (round?.finished) return { kind: 'ack', result: 'skipped', note: 'round already finished' };
    let previous: A2aRound | undefined;
    if (work.round > 0) {
      previous = await rounds.previous(work.jobId, work.round);
      // A revision of a job that never went to an A2A seller is none of ours.
      if (!previous) return { kind: 'ack', result: 'skipped', note: 'not an A2A seller job' };
    }
    let job: JobView;
    if (!round) {
      const a2aUrl = previous ? previous.a2aUrl : (hireUrl ?? (await this.a2aUrlOfHire(work)));
      if (!a2aUrl) return { kind: 'ack', result: 'skipped', note: 'the worker takes its jobs through the API' };
      job = await market.getJob(work.jobId, work.workerAgentId);
      // An event read again long after (a new consumer replays the stream) finds its job moved on: nothing to send.
      if (job.status !== (work.round === 0 ? 'pending' : 'revision_requested')) return { kind: 'ack', result: 'skipped', note: `job is ${job.status}` };
      round = await rounds.open(work.jobId, work.round, messageIdOf(work.jobId, work.round), a2aUrl);
    } else {
      job = await market.getJob(work.jobId, work.workerAgentId);
      if (!['pending', 'in_progress', 'revision_requested'].includes(job.status)) {
        await rounds.finish(work.jobId, work.round, `job ${job.status}`);
        return { kind: 'ack', result: 'skipped', note: `job is ${job.status}` };
      }
    }

    let client: Client;
    let task: Task;
    try {
      client = await sellerClient(round.a2aUrl, this.options.guardedFetch, this.options.shutdown);
      if (round.remoteTaskId) {
        task = await client.getTask({ tenant: '', id: round.remoteTaskId }, { signal: this.options.shutdown });
      } else {
        const feedback = work.feedback ?? 'Please revise the deliverable';
        const reply = await client.sendMessage(sellerMessage(job, round, previous ? { previous, feedback } : undefined), { signal: this.options.shutdown });
        if (isMessage(reply)) return await this.answeredWithMessage(work, job, reply);
        task = reply;
        await rounds.sent(work.jobId, work.round, task.id, task.contextId);
        round = { ...round, remoteTaskId: task.id, remoteContextId: task.contextId };
        logger.info({ remote_task_id: task.id }, 'job sent to the seller’s A2A agent');
      }
    } catch (error) {
      return this.sellerTrouble(work, round, error);
    }
    return this.follow(work, job, round, client, task, logger);
  }

  /** round 0 only: the worker's a2a_url when its hires go there (a hosted service is the model executor's, wherever a2a_url points). */
  private async a2aUrlOfHire(work: SellerWork): Promise<string | undefined> {
    const a2aUrl = await this.options.sellers.a2aUrlOf(work.workerAgentId, work.jobId);
    if (!a2aUrl) return undefined;
    if (await this.options.market.isHosted(work.serviceId, work.jobId)) return undefined;
    return a2aUrl;
  }

  private async follow(work: SellerWork, job: JobView, round: A2aRound, client: Client, first: Task, logger: Logger): Promise<Settlement> {
    let task = first;
    let started = job.status !== 'pending';
    let deadline = deadlineOf(round, job, this.options.maxFollowMs);
    let wait = this.pollMs.first;
    for (;;) {
      const step = sellerStep(task.status);
      if (step.kind === 'fail') return this.finish(work, this.failJob(work, step.reason));
      if (!started) {
        const start = await this.startJob(work);
        if ('done' in start) return this.finish(work, Promise.resolve(start.done), client, task.id);
        started = true;
        deadline = deadlineOf(round, start.job, this.options.maxFollowMs);
      }
      if (step.kind === 'deliver') return this.finish(work, this.deliver(work, task));
      const left = deadline - Date.now();
      if (left <= 0) {
        const minutes = Math.round((deadline - round.sentAt.getTime()) / 60_000);
        return this.finish(work, this.failJob(work, `The seller's A2A agent did not finish its task within ${minutes} minute(s)`), client, task.id);
      }
      if (!(await pause(Math.min(wait, left), this.options.shutdown))) return { kind: 'nak', delayMs: 0, note: 'shutdown: another replica follows the task' };
      wait = Math.min(wait * 2, this.pollMs.max);
      try {
        task = await client.getTask({ tenant: '', id: task.id }, { signal: this.options.shutdown });
      } catch (error) {
        if (this.options.shutdown.aborted) return { kind: 'nak', delayMs: 0, note: 'shutdown: another replica follows the task' };
        // A poll that fails is tried again (the deadline bounds it); a task the seller no longer knows cannot end well.
        if (error instanceof TaskNotFoundError) return this.finish(work, this.failJob(work, "The seller's A2A agent no longer knows the job's task"));
        logger.warn({ err: error }, 'polling the seller’s task failed; trying again');
      }
    }
  }

  /** A seller that answers the message itself (a Message, no task): that answer is the deliverable. */
  private async answeredWithMessage(work: SellerWork, job: JobView, reply: Message): Promise<Settlement> {
    if (job.status === 'pending') {
      const start = await this.startJob(work);
      if ('done' in start) return this.finish(work, Promise.resolve(start.done));
    }
    const task = { taskId: '', contextId: reply.contextId };
    const deliverable = deliverableOf([{ artifactId: reply.messageId, name: '', description: '', parts: reply.parts, metadata: undefined, extensions: [] }], task);
    if (!deliverable) return this.finish(work, this.failJob(work, "The seller's A2A agent answered with an empty message"));
    return this.finish(work, this.deliverContent(work, deliverable));
  }

  private deliver(work: SellerWork, task: Task): Promise<Settlement> {
    const ids = { taskId: task.id, contextId: task.contextId };
    // A seller that puts its answer in the final status message rather than an artifact is read the same way.
    const fromStatus = task.status?.message
      ? [{ artifactId: task.status.message.messageId, name: '', description: '', parts: task.status.message.parts, metadata: undefined, extensions: [] }]
      : [];
    const deliverable = deliverableOf(task.artifacts, ids) ?? deliverableOf(fromStatus, ids);
    if (!deliverable) return this.failJob(work, "The seller's A2A agent completed its task without any artifact");
    return this.deliverContent(work, deliverable);
  }

  private async deliverContent(work: SellerWork, deliverable: NonNullable<ReturnType<typeof deliverableOf>>): Promise<Settlement> {
    try {
      await this.options.market.deliverContent(work.jobId, work.workerAgentId, deliverable);
      return { kind: 'ack', result: 'delivered', note: 'the seller’s artifacts delivered' };
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_transition') return { kind: 'ack', result: 'skipped', note: 'job moved on before delivery' };
      if (error instanceof AppError && error.code === 'validation_failed') return this.failJob(work, `The seller's artifacts could not be delivered: ${error.message}`);
      throw error;
    }
  }

  /** Starts a pending job (the seller accepted it); `done` when the job moved on (cancelled, expired). */
  private async startJob(work: SellerWork): Promise<Done | { job: JobView }> {
    const { market } = this.options;
    let job: JobView;
    try {
      job = await market.startJob(work.jobId, work.workerAgentId);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'invalid_transition')) throw error;
      job = await market.getJob(work.jobId, work.workerAgentId);
    }
    if (job.status !== 'in_progress' && job.status !== 'revision_requested') return { done: { kind: 'ack', result: 'skipped', note: `job is ${job.status}` } };
    return { job };
  }

  /** Fails the job (its escrow is refunded on job_failed); a job that moved on meanwhile is left alone. */
  private async failJob(work: SellerWork, reason: string): Promise<Settlement> {
    try {
      await this.options.market.fail(work.jobId, work.workerAgentId, reason);
      return { kind: 'ack', result: 'failed', note: reason };
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_transition') return { kind: 'ack', result: 'skipped', note: 'job moved on before it could be failed' };
      throw error;
    }
  }

  /** Records the round's end once its settlement is known, and asks the seller to stop a task nobody waits for any more. */
  private async finish(work: SellerWork, outcome: Promise<Settlement>, client?: Client, remoteTaskId?: string): Promise<Settlement> {
    const settlement = await outcome;
    if (settlement.kind !== 'ack') return settlement;
    await this.options.rounds.finish(work.jobId, work.round, `${settlement.result}: ${settlement.note}`);
    if (client && remoteTaskId) {
      await client.cancelTask({ tenant: '', id: remoteTaskId, metadata: undefined }, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    }
    return settlement;
  }

  /** The seller's endpoint failed: refused by the guard or by the seller (an A2A error: the job fails), or unreachable (tried again later). */
  private async sellerTrouble(work: SellerWork, round: A2aRound, error: unknown): Promise<Settlement> {
    if (this.options.shutdown.aborted) return { kind: 'nak', delayMs: 0, note: 'shutdown' };
    if (error instanceof TargetRefused) return this.finish(work, this.failJob(work, `The seller's a2a_url ${error.message}`));
    if (error instanceof A2AError) return this.finish(work, this.failJob(work, `The seller's A2A agent refused the job: ${(error as Error).message}`));
    throw new SellerUnreachable(`${round.a2aUrl}: ${(error as Error).message ?? String(error)}`);
  }

  /** The last delivery: fail the job if it is still ours to fail, otherwise keep the message in DEAD_LETTER. */
  private async giveUp(work: SellerWork, reason: string): Promise<Settlement> {
    try {
      const job = await this.options.market.getJob(work.jobId, work.workerAgentId);
      if (job.status === 'pending') {
        const start = await this.startJob(work);
        if ('done' in start) return this.finish(work, Promise.resolve(start.done));
      } else if (job.status !== 'in_progress' && job.status !== 'revision_requested') {
        return this.finish(work, Promise.resolve({ kind: 'ack', result: 'skipped', note: `job is ${job.status}` }));
      }
      return await this.finish(work, this.failJob(work, reason));
    } catch (error) {
      return { kind: 'dead_letter', reason: `${reason}; the job could not be failed: ${(error as Error).message}` };
    }
  }

  /** The seller, jobs or the database failed: try again later, unless the answer was a refusal a retry cannot change. */
  private troubleAround(error: unknown, deliveryCount: number): Settlement {
    if (error instanceof AppError && error.code !== 'unavailable' && error.code !== 'internal') {
      return { kind: 'dead_letter', reason: `${error.code}: ${error.message}` };
    }
    const delay = RETRY_MS[Math.min(deliveryCount - 1, RETRY_MS.length - 1)] ?? 2000;
    return { kind: 'nak', delayMs: delay, note: (error as Error).message ?? String(error) };
  }
}

/** The seller's endpoint did not answer (network, timeout, 5xx): worth another try. */
class SellerUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SellerUnreachable';
  }
}

function isMessage(reply: Message | Task): reply is Message {
  return 'messageId' in reply && !('status' in reply);
}


/** Until when the round's task is followed: a bound from its send, cut by the job's own delivery deadline. */
function deadlineOf(round: A2aRound, job: JobView, maxFollowMs: number): number {
  const bound = round.sentAt.getTime() + maxFollowMs;
  const delivery = job.delivery_deadline ? Date.parse(job.delivery_deadline) : Number.POSITIVE_INFINITY;
  return Math.min(bound, delivery);
}

/** Waits, or answers false at once when the shutdown signal fires. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
