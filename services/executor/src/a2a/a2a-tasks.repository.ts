import type { MikroORM } from '@mikro-orm/postgresql';
import { EXECUTOR_SCHEMA } from '../schema.ts';

/** What the executor sent to a seller for one round of a job, and where the seller's task is. */
export interface A2aRound {
  jobId: string;
  round: number;
  messageId: string;
  a2aUrl: string;
  remoteTaskId: string | null;
  remoteContextId: string | null;
  sentAt: Date;
  finished: boolean;
}

interface RoundRow {
  job_id: string;
  round: number;
  message_id: string;
  a2a_url: string;
  remote_task_id: string | null;
  remote_context_id: string | null;
  sent_at: Date | string;
  finished_at: Date | null;
}

const toRound = (row: RoundRow): A2aRound => ({
  jobId: row.job_id,
  round: row.round,
  messageId: row.message_id,
  a2aUrl: row.a2a_url,
  remoteTaskId: row.remote_task_id,
  remoteContextId: row.remote_context_id,
  sentAt: new Date(row.sent_at),
  finished: row.finished_at !== null,
});

/** The `executor.a2a_tasks` table: the rounds sent to sellers' A2A endpoints. */
export class A2aTasksRepository {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async find(jobId: string, round: number): Promise<A2aRound | undefined> {
    const rows = await this.orm.em
      .fork()
      .execute<RoundRow[]>(`select * from ${EXECUTOR_SCHEMA}.a2a_tasks where job_id = ? and round = ?`, [jobId, round], 'all');
    return rows[0] ? toRound(rows[0]) : undefined;
  }

  /** The job's most recent round before `round` (the task a revision follows up on). */
  async previous(jobId: string, round: number): Promise<A2aRound | undefined> {
    const rows = await this.orm.em
      .fork()
      .execute<RoundRow[]>(`select * from ${EXECUTOR_SCHEMA}.a2a_tasks where job_id = ? and round < ? order by round desc limit 1`, [jobId, round], 'all');
    return rows[0] ? toRound(rows[0]) : undefined;
  }

  /** Records a round about to be sent (before the send: a crash after it resends the same message id); the existing row when there is one. */
  async open(jobId: string, round: number, messageId: string, a2aUrl: string): Promise<A2aRound> {
    await this.orm.em
      .fork()
      .execute(
        `insert into ${EXECUTOR_SCHEMA}.a2a_tasks (job_id, round, message_id, a2a_url) values (?, ?, ?, ?) on conflict (job_id, round) do nothing`,
        [jobId, round, messageId, a2aUrl],
        'run',
      );
    const row = await this.find(jobId, round);
    if (!row) throw new Error('a2a_tasks insert left no row');
    return row;
  }

  async sent(jobId: string, round: number, remoteTaskId: string, remoteContextId: string): Promise<void> {
    await this.orm.em
      .fork()
      .execute(`update ${EXECUTOR_SCHEMA}.a2a_tasks set remote_task_id = ?, remote_context_id = ? where job_id = ? and round = ?`, [remoteTaskId, remoteContextId, jobId, round], 'run');
  }

  async finish(jobId: string, round: number, outcome: string): Promise<void> {
    await this.orm.em
      .fork()
      .execute(`update ${EXECUTOR_SCHEMA}.a2a_tasks set finished_at = now(), outcome = ? where job_id = ? and round = ? and finished_at is null`, [outcome.slice(0, 500), jobId, round], 'run');
  }
}
