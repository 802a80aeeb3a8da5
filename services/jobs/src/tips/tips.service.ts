import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  SUBJECTS,
  tipInputSchema,
  uuidv7,
  type JobStatus,
  type TipJobCommand,
  type TipTransferView,
  type TipView,
} from '@agentmarket/contracts';
import { issuesToDetails, markKeyRecordedByUseCase, type BusClient } from '@agentmarket/messaging';
import { loadJob } from '../jobs/jobs.repository.ts';
import { writeJobChange } from '../jobs/job-changes.repository.ts';
import { actorOf, clientOf, jobNotFound, roleOnJob } from '../jobs/job-access.ts';
import { jobEventData } from '../jobs/job-event-data.ts';
import { withConflictRetry } from '../jobs/conflict-retry.ts';
import type { Job } from '../jobs/job.entity.ts';
import type { TipRow } from './tip-rows.ts';
import { dropPendingTip, findTipByKey, insertPendingTip, markTipRecorded } from './tips.repository.ts';
import { toTipView } from './tip.views.ts';

/** The ends after which the worker was paid for the work: a tip thanks for it. */
const TIPPABLE_STATUSES: readonly JobStatus[] = ['completed', 'resolved'];
const DAY_MS = 86_400_000;

/**
 * A client's tip to the worker of its ended job. Not a machine transition
 * (the job is terminal and stays so): a small saga keyed like a hire. (1)
 * the tip row, `pending`, keyed by the Idempotency-Key; (2) payments moves
 * the money once per tip id; (3) one transaction marks the tip recorded and
 * writes the history row and the `job_tipped` event. A retry with the same
 * key continues whatever step was reached, so money moves at most once.
 */
export class Tips {
  private readonly orm: MikroORM;
  private readonly bus: BusClient;
  private readonly windowDays: number;

  constructor(orm: MikroORM, bus: BusClient, windowDays: number) {
    this.orm = orm;
    this.bus = bus;
    this.windowDays = windowDays;
  }

  async tip(command: TipJobCommand, requestId?: string): Promise<TipView> {
    const parsed = tipInputSchema.safeParse(command.input);
    if (!parsed.success) throw new AppError('validation_failed', 'Invalid request', issuesToDetails(parsed.error.issues));
    const key = command.idempotency_key ?? null;
    // The key is recorded on the tip row itself (like a hire's on its job).
    if (key) markKeyRecordedByUseCase();
    const em = this.orm.em.fork();
    const loaded = await loadJob(em, command.job_id);
    if (!loaded) throw jobNotFound(command.job_id);
    const { job } = loaded;
    if (roleOnJob(job, command.caller) !== 'client') throw new AppError('forbidden', "Only the job's client may tip its worker", { job_id: job.id });
    const earlier = key ? await findTipByKey(em, job.id, key) : undefined;
    if (earlier?.status === 'recorded') return toTipView(earlier);

    const amount = 'amount_usd' in parsed.data ? parsed.data.amount_usd : parsed.data.amount_sats;
    const currency = 'amount_usd' in parsed.data ? 'USD' : 'SAT';
    const now = new Date();
    // A continued tip skips the checks: they passed when it began (the window may have closed since).
    if (!earlier) this.checkTippable(job, currency, amount, now);
    const tip = earlier ?? (await insertPendingTip(em, { id: uuidv7(), jobId: job.id, currency, amount, key, at: now }));
    if (Number(tip.amount) !== amount || tip.currency !== currency) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for another tip on this job', { tip_id: tip.id });
    }
    if (tip.status === 'recorded') return toTipView(tip);

    const transfer = await this.moveMoney(job, tip, requestId);
    return this.record(tip, transfer);
  }

  private checkTippable(job: Job, currency: string, amount: number, now: Date): void {
    const status = job.status as JobStatus;
    if (!TIPPABLE_STATUSES.includes(status)) {
      throw new AppError('invalid_transition', `A job that is ${status} cannot be tipped: only a completed or resolved one`, { from: status, event: 'tip' });
    }
    const endsAt = new Date((job.completedAt ?? job.updatedAt).getTime() + this.windowDays * DAY_MS);
    if (endsAt <= now) {
      throw new AppError('invalid_transition', `A job can be tipped within ${this.windowDays} days of its completion`, {
        from: status,
        event: 'tip',
        reason: 'tip_window_closed',
        tip_window_ends_at: endsAt.toISOString(),
      });
    }
    if (currency !== job.currency) {
      const field = job.currency === 'USD' ? 'amount_usd' : 'amount_sats';
      throw new AppError('validation_failed', `A tip is paid in the job's currency (${job.currency}): send ${field}`, {
        reason: 'currency_mismatch',
        currency: job.currency,
      });
    }
    if (amount <= 0) throw new AppError('validation_failed', 'A tip must be more than zero', { reason: 'amount_not_positive' });
  }

  /** Payments moves the tip once per tip id; a refusal (nothing moved) forgets the pending tip, so the client may try again. */
  private async moveMoney(job: Job, tip: TipRow, requestId?: string): Promise<TipTransferView> {
    try {
      return await this.bus.request<TipTransferView>(
        SUBJECTS.payments.tipTransfer,
        { tip_id: tip.id, job_id: job.id, payer: clientOf(job), payee_agent_id: job.workerAgentId, currency: tip.currency, amount: Number(tip.amount) },
        { requestId },
      );
    } catch (error) {
      // Any other failure (a timeout) may or may not have moved the money: the tip stays pending for a retry with the key.
      if (error instanceof AppError && (error.code === 'insufficient_funds' || error.code === 'validation_failed')) {
        await dropPendingTip(this.orm.em.fork(), tip.id);
      }
      throw error;
    }
  }

  /** Marks the tip recorded with one history row and one `job_tipped` event on the job (its version moves; its status does not). */
  private async record(tip: TipRow, transfer: TipTransferView): Promise<TipView> {
    return withConflictRetry(() =>
      this.orm.em.fork().transactional(async (em) => {
        const loaded = await loadJob(em, tip.job_id);
        if (!loaded) throw jobNotFound(tip.job_id);
        const { job } = loaded;
        const recorded = { ...tip, status: 'recorded' as const, fee_amount: String(transfer.fee_amount) };
        // A concurrent twin recorded it first: its event is written, this one writes nothing.
        if (!(await markTipRecorded(em, tip.id, transfer.fee_amount))) return toTipView(recorded);
        const status = job.status as JobStatus;
        const now = new Date();
        const actor = actorOf(job.clientUserId ? { type: 'user', id: job.clientUserId } : { type: 'agent', id: job.clientAgentId ?? null });
        const details = { tip_id: tip.id, tip_amount: transfer.amount, tip_fee_amount: transfer.fee_amount };
        job.updatedAt = now;
        await writeJobChange(em, {
          job,
          clearTimers: false,
          history: { fromStatus: status, toStatus: status, event: 'tip', actor, details, at: now },
          events: [{ type: 'job_tipped', aggregateId: job.id, aggregateVersion: job.version + 1, actor, data: jobEventData(job, status, details) }],
        });
        return toTipView(recorded);
      }),
    );
  }
}
