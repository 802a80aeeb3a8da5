import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  JOB_ACTION_INPUTS,
  type Caller,
  type JobStatus,
  type JobTransitionCommand,
  type JobView,
} from '@agentmarket/contracts';
import { migrateJobSnapshot, transitionJob, type JobMachineEventType, type JobRole, type JobTransitionResult } from '@agentmarket/job-machine';
import { commandTransaction, issuesToDetails } from '@agentmarket/messaging';
import type { Deliverable, Job } from './job.entity.ts';
import { loadJob } from './jobs.repository.ts';
import type { LoadedJob } from './job-rows.ts';
import type { RecentJobs } from './recent-jobs.ts';
import { writeJobChange } from './job-changes.repository.ts';
import { actorOf, jobNotFound, roleOnJob } from './job-access.ts';
import { jobEventData } from './job-event-data.ts';
import { toJobView } from './job.views.ts';
import { applyTransitionEffects } from './transition-effects.ts';
import { withConflictRetry } from './conflict-retry.ts';
import { anyTimerDue, claimDueTimer, takeDueTimer, type TimerKind } from '../timers/timers.repository.ts';
import { announceDeliveryDeadline } from './deadline-announcement.ts';
import { disputeCircumstances, openDispute } from './dispute-steps.ts';
import { JOBS_SCHEMA } from '../schema.ts';

/** The machine event each timer sends; the delivery deadline changes no status, it is announced (deadline-announcement.ts). */
const TIMER_EVENTS: Record<Exclude<TimerKind, 'delivery_deadline'>, JobMachineEventType> = {
  accept_deadline: 'expire',
  auto_complete: 'auto_complete',
  dispute_response: 'dispute_timeout',
};

/**
 * Moves jobs through the machine: the job read raw (jobs.repository.ts), then one
 * statement that writes the new snapshot and version (checked against the
 * one read), timers, history row and outbox event (job-changes.repository.ts); no
 * transaction around the two unless an Idempotency-Key is recorded with
 * them. No ORM unit of work on this path.
 */
export class JobTransitions {
  private readonly orm: MikroORM;
  /** How long the worker of a disputed job has to answer before the client is refunded. */
  private readonly disputeResponseWindowSeconds: number;

  /** The jobs this replica wrote last (recent-jobs.ts), shared with the hire that funds them. */
  private readonly recentJobs: RecentJobs;

  constructor(orm: MikroORM, disputeResponseWindowSeconds: number, recentJobs: RecentJobs) {
    this.orm = orm;
    this.disputeResponseWindowSeconds = disputeResponseWindowSeconds;
    this.recentJobs = recentJobs;
  }

  /** An agent's (or admin's) action on a job, e.g. start or deliver. */
  async perform(command: JobTransitionCommand): Promise<JobView> {
    const parsed = JOB_ACTION_INPUTS[command.action].safeParse(command.input);
    if (!parsed.success) throw new AppError('validation_failed', 'Invalid request', issuesToDetails(parsed.error.issues));
    const input = parsed.data as Record<string, unknown>;
    const event = machineEventOf(command.action, input);
    let committed: LoadedJob | undefined;
    const view = await withConflictRetry(() => {
      committed = undefined;
      return commandTransaction(this.orm, JOBS_SCHEMA, async (em) => {
        // The copy this replica kept of its last write saves the read; the write checks its version all the same.
        const recent = this.recentJobs.take(command.job_id);
        let loaded = recent ?? (await loadJob(em, command.job_id));
        if (!loaded) throw jobNotFound(command.job_id);
        let refusal = await this.transition(em, loaded.job, loaded.deliverables, roleOnJob(loaded.job, command.caller), command.caller, event, input);
        if (refusal && recent) {
          // A copy may be behind the row (another replica moved the job on): only the row may refuse.
          loaded = await loadJob(em, command.job_id);
          if (!loaded) throw jobNotFound(command.job_id);
          refusal = await this.transition(em, loaded.job, loaded.deliverables, roleOnJob(loaded.job, command.caller), command.caller, event, input);
        }
        if (refusal) throw refusalError(refusal, loaded.job);
        committed = loaded;
        return toJobView(loaded.job, loaded.deliverables);
      }, { singleWrite: true });
    });
    // Kept once commandTransaction has returned, that is once the write (and a key's record with it) committed.
    if (committed) this.recentJobs.remember(committed);
    return view;
  }

  /**
   * Fires up to `limit` due timers, each in its own transaction, claimed by
   * locking the timer's job with FOR UPDATE SKIP LOCKED so that no two
   * replicas fire the same one (and no transition commits meanwhile).
   */
  async fireDueTimers(limit: number): Promise<number> {
    if (!(await anyTimerDue(this.orm.em.fork()))) return 0;
    let fired = 0;
    while (fired < limit) {
      const claimed = await this.orm.em.fork().transactional(async (em) => {
        const timer = await claimDueTimer(em);
        if (!timer) return false;
        // This write moves the job on: a copy kept of it would only cost the next transition a failed attempt.
        this.recentJobs.forget(timer.job_id);
        const kind = timer.kind;
        if (!(await takeDueTimer(em, timer.job_id, kind))) return true;
        const loaded = await loadJob(em, timer.job_id);
        if (!loaded) return true;
        if (kind === 'delivery_deadline') await announceDeliveryDeadline(em, loaded.job, new Date());
        // A refusal means the job moved on before the timer fired (started, answered): the timer is simply dropped.
        else await this.transition(em, loaded.job, loaded.deliverables, 'system', 'system', TIMER_EVENTS[kind], {});
        return true;
      });
      if (!claimed) break;
      fired++;
    }
    return fired;
  }

  /** Runs the machine; on acceptance writes everything the transition means. Returns the refusal, if any. */
  private async transition(
    em: EntityManager,
    job: Job,
    deliverables: Deliverable[],
    role: JobRole,
    caller: Caller | 'system',
    event: JobMachineEventType,
    input: Record<string, unknown>,
  ): Promise<Extract<JobTransitionResult, { ok: false }> | undefined> {
    const from = job.status as JobStatus;
    const now = new Date();
    const deliveryDeadlinePassed = job.deliveryDeadline !== null && job.deliveryDeadline !== undefined && job.deliveryDeadline <= now;
    const extensionPending = Boolean(job.pendingExtension);
    const circumstances = { deliveryDeadlinePassed, extensionPending, hasEvaluator: Boolean(job.evaluatorAgentId), ...disputeCircumstances(job, event, input) };
    const result = transitionJob(migrateJobSnapshot(job.machineSnapshot), { ...circumstances, type: event, role });
    if (!result.ok) return result;
    // The deadline columns and the timer rows are written together: no deadline, no timer to clear. A disputed job runs its response window.
    const hadDeadline = Boolean(job.acceptDeadline || job.autoCompleteAt || job.deliveryDeadline) || from === 'disputed';
    const effects = applyTransitionEffects(job, deliverables, event, input, result.snapshot, now);
    if (event === 'dispute') {
      // The dispute opens the ladder: the worker's response window starts now.
      const opened = openDispute(job, input, now, this.disputeResponseWindowSeconds);
      effects.timer = opened.timer;
      effects.eventData = { ...effects.eventData, respond_by: opened.respondBy };
      effects.historyDetails = { ...effects.historyDetails, respond_by: opened.respondBy };
    }
    const actor = actorOf(caller);
    await writeJobChange(em, {
      job,
      // A job with no deadline has no timer to clear.
      clearTimers: hadDeadline && !effects.keepTimers,
      timer: effects.timer,
      deliverable: effects.deliverable,
      history: { fromStatus: from, toStatus: job.status, event, actor, details: effects.historyDetails, at: now },
      events: [
        ...result.emitted.map((type) => ({
          type,
          aggregateId: job.id,
          aggregateVersion: job.version + 1,
          actor,
          data: jobEventData(job, from, effects.eventData),
        })),
        ...(effects.workItems ?? []),
      ],
    });
    return undefined;
  }
}

function refusalError(refusal: Extract<JobTransitionResult, { ok: false }>, job: Job): AppError {
  const details = { from: refusal.from, event: refusal.event };
  switch (refusal.reason) {
    case 'forbidden':
      return new AppError('forbidden', `Your role on this job may not ${refusal.event.replace('_', ' ')} it`, details);
    case 'revision_limit_reached':
      return new AppError('invalid_transition', 'This job has used all its revisions', { ...details, reason: refusal.reason });
    case 'delivery_deadline_not_passed':
      return new AppError('invalid_transition', 'A started job can be cancelled only once its delivery deadline has passed', {
        ...details,
        reason: refusal.reason,
        delivery_deadline: job.deliveryDeadline?.toISOString() ?? null,
      });
    case 'extension_already_pending':
      return new AppError('invalid_transition', 'An extension request already awaits the client’s answer', {
        ...details,
        reason: refusal.reason,
        pending_extension: job.pendingExtension ?? null,
      });
    case 'no_pending_extension':
      return new AppError('invalid_transition', 'There is no pending extension request to answer', { ...details, reason: refusal.reason });
    case 'dispute_already_answered':
      return new AppError('invalid_transition', 'The worker has already answered this dispute', {
        ...details,
        reason: refusal.reason,
        response: job.dispute?.response ?? null,
      });
    case 'evaluator_decides':
      return new AppError('forbidden', 'This job’s evaluator judges the delivery: it completes, asks for a revision or rejects', {
        ...details,
        reason: refusal.reason,
        evaluator_agent_id: job.evaluatorAgentId ?? null,
      });
    case 'no_pending_proposal':
      return new AppError('invalid_transition', 'The worker has proposed no split to accept', { ...details, reason: refusal.reason });
    case 'invalid_transition':
      return new AppError('invalid_transition', `A job that is ${refusal.from} cannot ${refusal.event.replace('_', ' ')}`, details);
  }
}

/** The machine event an HTTP action sends: its name in snake case (`request-revision` → `request_revision`); the client's answer to an extension is a grant or a decline; the worker's answer to a dispute is respond_dispute. */
function machineEventOf(action: JobTransitionCommand['action'], input: Record<string, unknown>): JobMachineEventType {
  if (action === 'extension') return input.grant === true ? 'grant_extension' : 'decline_extension';
  if (action === 'dispute-response') return 'respond_dispute';
  return action.replaceAll('-', '_') as JobMachineEventType;
}
