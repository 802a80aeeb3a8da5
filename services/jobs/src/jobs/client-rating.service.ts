import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, rateClientInputSchema, type ClientRating, type JobStatus, type RateClientCommand } from '@agentmarket/contracts';
import { commandTransaction, issuesToDetails } from '@agentmarket/messaging';
import { loadJob } from './jobs.repository.ts';
import { writeJobChange } from './job-changes.repository.ts';
import { actorOf, jobNotFound, roleOnJob } from './job-access.ts';
import { jobEventData } from './job-event-data.ts';
import { withConflictRetry } from './conflict-retry.ts';
import { insertClientRatingOnce } from './client-ratings.repository.ts';
import { JOBS_SCHEMA } from '../schema.ts';

/** The ends after which the worker was paid (all or most of the price) and has met the client's side of the bargain. */
const RATABLE_STATUSES: readonly JobStatus[] = ['completed', 'resolved'];

/**
 * The worker's rating of its client. Not a machine transition: the job has
 * ended and its status stays; the rating is a fact about the ended job, so
 * jobs records it (one row per job) and announces it once as `client_rated`,
 * with a history row, in the same transaction. Reputation turns the event
 * into the client's rating; messaging into the client's inbox message.
 */
export class ClientRatings {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async rate(command: RateClientCommand): Promise<ClientRating> {
    const parsed = rateClientInputSchema.safeParse(command.input);
    if (!parsed.success) throw new AppError('validation_failed', 'Invalid request', issuesToDetails(parsed.error.issues));
    const { rating } = parsed.data;
    const review = parsed.data.review ?? null;
    // With an Idempotency-Key the key is recorded with the rating: a retry gets this answer back, not a 409.
    return withConflictRetry(() =>
      commandTransaction(this.orm, JOBS_SCHEMA, async (em) => {
        const loaded = await loadJob(em, command.job_id);
        if (!loaded) throw jobNotFound(command.job_id);
        const { job } = loaded;
        const role = roleOnJob(job, command.caller);
        if (role !== 'worker') throw new AppError('forbidden', "Only the job's worker may rate its client", { job_id: job.id });
        const status = job.status as JobStatus;
        if (!RATABLE_STATUSES.includes(status)) {
          throw new AppError('invalid_transition', `A job that is ${status} cannot have its client rated: only a completed or resolved one`, {
            from: status,
            event: 'rate_client',
          });
        }
        const now = new Date();
        // The primary key decides "once": a concurrent twin waits here for the first to commit, then inserts nothing.
        const inserted = await insertClientRatingOnce(em, { jobId: job.id, workerAgentId: job.workerAgentId, rating, review, at: now });
        if (!inserted) throw new AppError('conflict', 'The client of this job was already rated', { job_id: job.id, reason: 'already_rated' });
        const actor = actorOf(command.caller);
        const details = { rating, review };
        job.updatedAt = now;
        // The job's version moves (the event is ordered with the job's transitions); a concurrent change retries the whole command.
        await writeJobChange(em, {
          job,
          clearTimers: false,
          history: { fromStatus: status, toStatus: status, event: 'rate_client', actor, details, at: now },
          events: [{ type: 'client_rated', aggregateId: job.id, aggregateVersion: job.version + 1, actor, data: jobEventData(job, status, details) }],
        });
        return { job_id: job.id, rating, review, created_at: now.toISOString() };
      }),
    );
  }
}
