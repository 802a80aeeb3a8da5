import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7, type Actor, type EventEnvelope } from '@agentmarket/contracts';
import { executePrepared, toOutboxRows, type NewEvent } from '@agentmarket/persistence';
import type { Deliverable, Job } from './job.entity.ts';
import type { TimerKind } from '../timers/timers.repository.ts';
import { JobVersionConflict } from './conflict-retry.ts';
import { JOBS_SCHEMA } from '../schema.ts';

/** The history row a change adds (jobs.job_transitions). */
export interface HistoryEntry {
  fromStatus: string | null;
  toStatus: string;
  event: string;
  actor: Actor;
  details: Record<string, unknown>;
  at: Date;
}

export interface JobChange {
  /** The job as it is to be stored; its `version` is the one read, and is bumped on success. */
  job: Job;
  /**
   * Delete the job's other pending timers. A transition does (its timers are
   * of the state it leaves); funding a pending_hold job has none to clear.
   */
  clearTimers: boolean;
  /** Write only if the job is still waiting for its hold: a saga that gave up meanwhile (unfunded) wins. */
  onlyIfPendingHold?: boolean;
  timer?: { kind: TimerKind; dueAt: Date };
  deliverable?: Deliverable;
  history: HistoryEntry;
  events: NewEvent[];
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/**
 * Writes a job change in ONE statement, atomic on its own (it needs no
 * transaction around it): the row, checked against the version read (a
 * concurrent change makes it update nothing, and then nothing else is
 * written either: JobVersionConflict, for the retry), then, each selecting
 * from the update so that it happens only if the update did, the timers
 * (the job's others deleted, the new state's one set), the new
 * deliverable, the history row and the outbox rows. The job row is locked
 * before its timer rows, the order the timer loop takes too (timers.repository.ts):
 * never a deadlock.
 */
export async function writeJobChange(em: EntityManager, change: JobChange): Promise<EventEnvelope[]> {
  const { job } = change;
  const { envelopes, rows } = toOutboxRows(change.events);
  const parts: string[] = [];
  const params: unknown[] = [];
  parts.push(`updated as (
    update ${JOBS_SCHEMA}.jobs set status = ?, machine_snapshot = ?::jsonb, revision_count = ?, rating = ?::smallint, review = ?, funding_status = ?,
      accept_deadline = ?::timestamptz, auto_complete_at = ?::timestamptz, delivery_deadline = ?::timestamptz, pending_extension = ?::jsonb, dispute = ?::jsonb, updated_at = ?::timestamptz,
      started_at = ?::timestamptz, delivered_at = ?::timestamptz, completed_at = ?::timestamptz, version = version + 1
    where id = ? and version = ?${change.onlyIfPendingHold ? " and funding_status = 'pending_hold'" : ''} returning id, version)`);
  params.push(
    job.status,
    JSON.stringify(job.machineSnapshot),
    job.revisionCount,
    job.rating ?? null,
    job.review ?? null,
    job.fundingStatus,
    iso(job.acceptDeadline),
    iso(job.autoCompleteAt),
    iso(job.deliveryDeadline),
    job.pendingExtension ? JSON.stringify(job.pendingExtension) : null,
    job.dispute ? JSON.stringify(job.dispute) : null,
    iso(job.updatedAt),
    iso(job.startedAt),
    iso(job.deliveredAt),
    iso(job.completedAt),
    job.id,
    job.version,
  );
  if (change.clearTimers) {
    // The kind set below is left to its upsert: no row is touched twice by one statement.
    parts.push(`cleared as (delete from ${JOBS_SCHEMA}.timers where job_id = (select id from updated) and kind is distinct from ?::varchar)`);
    params.push(change.timer?.kind ?? null);
  }
  if (change.timer) {
    parts.push(`timer as (insert into ${JOBS_SCHEMA}.timers (job_id, kind, due_at) select id, ?, ?::timestamptz from updated
      on conflict (job_id, kind) do update set due_at = excluded.due_at)`);
    params.push(change.timer.kind, change.timer.dueAt.toISOString());
  }
  if (change.deliverable) {
    const deliverable = change.deliverable;
    parts.push(`deliverable as (insert into ${JOBS_SCHEMA}.deliverables (id, job_id, version, artifact_type, content, artifact_metadata, created_at)
      select ?::uuid, id, ?::integer, ?, ?::jsonb, ?::jsonb, ?::timestamptz from updated)`);
    params.push(
      deliverable.id,
      deliverable.version,
      deliverable.artifactType,
      JSON.stringify(deliverable.content ?? null),
      JSON.stringify(deliverable.artifactMetadata),
      deliverable.createdAt.toISOString(),
    );
  }
  const history = change.history;
  parts.push(`history as (insert into ${JOBS_SCHEMA}.job_transitions (id, job_id, from_status, to_status, event, actor_type, actor_id, details, at)
    select ?::uuid, id, ?, ?, ?, ?, ?, ?::jsonb, ?::timestamptz from updated)`);
  params.push(
    uuidv7(),
    history.fromStatus,
    history.toStatus,
    history.event,
    history.actor.type,
    history.actor.id,
    JSON.stringify(history.details),
    history.at.toISOString(),
  );
  if (rows.length > 0) {
    parts.push(`outbox as (insert into ${JOBS_SCHEMA}.outbox (id, subject, envelope)
      select event.id::uuid, event.subject, event.envelope::jsonb from (values ${rows.map(() => '(?, ?, ?)').join(', ')}) as event (id, subject, envelope), updated)`);
    for (const row of rows) params.push(row.id, row.subject, row.envelope);
  }
  const written = await executePrepared<{ version: number }>(em, `with ${parts.join(',\n')}\nselect version from updated`, params);
  if (written.length === 0) throw new JobVersionConflict(job.id);
  job.version = written[0]!.version;
  return envelopes;
}
