import type { MikroORM } from '@mikro-orm/postgresql';
import type { TokenUsage } from '../llm/cost.ts';
import { EXECUTOR_SCHEMA } from '../schema.ts';

/** One piece of a hosted job's work: the hire's (revision 0) or the nth revision's; its calls are counted and reused apart from the others. */
export interface WorkKey {
  jobId: string;
  revision: number;
}

/** What earlier deliveries of a job's work item (for one revision) already did. */
export interface CallHistory {
  /** Calls that count against the retry limit: all but those a shutdown aborted. */
  counted: number;
  /** A successful call whose answer may not have reached the jobs service (a crash, jobs unavailable). */
  answered: StoredAnswer | undefined;
}

export interface StoredAnswer {
  attempt: number;
  model: string;
  content: string;
  usage: TokenUsage;
  usageEstimated: boolean;
  latencyMs: number;
  costUsd: string;
  finishReason: string | null;
}

export interface CallFinished {
  startedAt: Date;
  outcome: string;
  statusCode?: number | null;
  /** The model that answered (the one asked for is recorded at start). */
  model?: string;
  usage?: TokenUsage;
  usageEstimated?: boolean;
  latencyMs: number;
  costUsd?: string;
  finishReason?: string | null;
  content?: string;
  error?: string;
}

interface AnsweredRow {
  counted: number;
  attempt: number | null;
  model: string | null;
  content: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  usage_estimated: boolean | null;
  latency_ms: number | null;
  cost_usd: string | null;
  finish_reason: string | null;
}

/** The `executor.llm_calls` audit table: one row per model call. */
export class LlmCallsRepository {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  /** The earlier calls for this piece of the job's work: how many count, and a successful one if there is any. */
  async history(work: WorkKey): Promise<CallHistory> {
    const [row] = await this.orm.em.fork().execute<AnsweredRow[]>(
      `select
         (select count(*)::int from ${EXECUTOR_SCHEMA}.llm_calls where job_id = ? and revision = ? and outcome is distinct from 'aborted') as counted,
         ok.attempt, ok.model, ok.content, ok.prompt_tokens, ok.completion_tokens, ok.total_tokens, ok.usage_estimated, ok.latency_ms, ok.cost_usd::text, ok.finish_reason
       from (select 1) as one
       left join lateral (
         select * from ${EXECUTOR_SCHEMA}.llm_calls where job_id = ? and revision = ? and outcome = 'ok' order by attempt desc limit 1
       ) ok on true`,
      [work.jobId, work.revision, work.jobId, work.revision],
      'all',
    );
    const answered =
      row?.attempt != null && row.content !== null
        ? {
            attempt: row.attempt,
            model: row.model ?? '',
            content: row.content,
            usage: { prompt_tokens: row.prompt_tokens ?? 0, completion_tokens: row.completion_tokens ?? 0, total_tokens: row.total_tokens ?? 0 },
            usageEstimated: row.usage_estimated ?? false,
            latencyMs: row.latency_ms ?? 0,
            costUsd: row.cost_usd ?? '0.000000',
            finishReason: row.finish_reason,
          }
        : undefined;
    return { counted: row?.counted ?? 0, answered };
  }

  /** Records a call about to be made, numbered after the earlier calls for the same revision; returns its row id and number. */
  async start(work: WorkKey, model: string, sellerAgentId: string): Promise<{ id: number; attempt: number }> {
    // One work message per job is in hand at a time, so two inserts for one job never race; the unique key guards it anyway.
    const [row] = await this.orm.em.fork().execute<{ id: string; attempt: number }[]>(
      `insert into ${EXECUTOR_SCHEMA}.llm_calls (job_id, revision, attempt, model, started_at, seller_agent_id)
       select ?, ?, coalesce(max(attempt), 0) + 1, ?, now(), ? from ${EXECUTOR_SCHEMA}.llm_calls where job_id = ? and revision = ?
       returning id, attempt`,
      [work.jobId, work.revision, model, sellerAgentId, work.jobId, work.revision],
      'all',
    );
    if (!row) throw new Error('llm_calls insert returned nothing');
    return { id: Number(row.id), attempt: row.attempt };
  }

  /** What a seller's hosted jobs have cost since the start of the current UTC day, in micro-USD. */
  async spentToday(sellerAgentId: string): Promise<number> {
    const [row] = await this.orm.em.fork().execute<{ micro: string }[]>(
      `select coalesce(round(sum(cost_usd) * 1000000), 0)::bigint as micro from ${EXECUTOR_SCHEMA}.llm_calls
       where seller_agent_id = ? and started_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'`,
      [sellerAgentId],
      'all',
    );
    return Number(row?.micro ?? 0);
  }

  /** What all of a job's calls (every revision's) have cost so far, in micro-USD. */
  async jobCost(jobId: string): Promise<number> {
    const [row] = await this.orm.em.fork().execute<{ micro: string }[]>(
      `select coalesce(round(sum(cost_usd) * 1000000), 0)::bigint as micro from ${EXECUTOR_SCHEMA}.llm_calls where job_id = ?`,
      [jobId],
      'all',
    );
    return Number(row?.micro ?? 0);
  }

  /** Records how a call ended. */
  async finish(id: number, call: CallFinished): Promise<void> {
    await this.orm.em.fork().execute(
      `update ${EXECUTOR_SCHEMA}.llm_calls set started_at = ?, finished_at = now(), outcome = ?, status_code = ?, model = coalesce(?, model),
         prompt_tokens = ?, completion_tokens = ?, total_tokens = ?, usage_estimated = ?, latency_ms = ?, cost_usd = ?, finish_reason = ?, content = ?, error = ?
       where id = ?`,
      [
        call.startedAt,
        call.outcome,
        call.statusCode ?? null,
        call.model ?? null,
        call.usage?.prompt_tokens ?? null,
        call.usage?.completion_tokens ?? null,
        call.usage?.total_tokens ?? null,
        call.usageEstimated ?? false,
        Math.round(call.latencyMs),
        call.costUsd ?? null,
        call.finishReason ?? null,
        call.content ?? null,
        call.error?.slice(0, 2000) ?? null,
        id,
      ],
      'run',
    );
  }
}
