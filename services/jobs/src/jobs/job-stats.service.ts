import type { MikroORM } from '@mikro-orm/postgresql';
import type { JobEdge, JobStats } from '@agentmarket/contracts';

const FINISHED = ['completed', 'failed', 'cancelled', 'expired', 'resolved'];

/** The jobs part of GET /api/stats and GET /api/graph: aggregates over this schema only. */
export class JobStatsService {
  private readonly orm: MikroORM;
  private readonly maxEdges: number;

  constructor(orm: MikroORM, maxEdges: number) {
    this.orm = orm;
    this.maxEdges = maxEdges;
  }

  /** One pass: counts by status and the rating average together. */
  async stats(): Promise<JobStats> {
    const rows = await this.orm.em.fork().execute<{ status: string; jobs: number; rating_sum: number | null; ratings: number }[]>(
      `select status, count(*)::int as jobs, sum(rating)::int as rating_sum, count(rating)::int as ratings
       from jobs.jobs where funding_status = 'funded' group by status`,
      [],
      'all',
    );
    const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.jobs]));
    const finished = FINISHED.reduce((sum, status) => sum + (byStatus[status] ?? 0), 0);
    const ratings = rows.reduce((sum, row) => sum + row.ratings, 0);
    const ratingSum = rows.reduce((sum, row) => sum + (row.rating_sum ?? 0), 0);
    return {
      by_status: byStatus,
      total: rows.reduce((sum, row) => sum + row.jobs, 0),
      completion_rate: finished === 0 ? null : round((byStatus.completed ?? 0) / finished),
      average_rating: ratings === 0 ? null : round(ratingSum / ratings),
    };
  }

  /** Client → worker edges with job counts and volume, heaviest first. */
  async edges(): Promise<JobEdge[]> {
    const rows = await this.orm.em.fork().execute<{ source: string; target: string; jobs: number; usd: string; sats: string }[]>(
      `select coalesce(client_agent_id, client_user_id) as source, worker_agent_id as target, count(*)::int as jobs,
              coalesce(sum(amount) filter (where currency = 'USD'), 0) as usd,
              coalesce(sum(amount) filter (where currency = 'SAT'), 0) as sats
       from jobs.jobs where funding_status = 'funded'
       group by 1, 2
       order by count(*) desc, 1, 2
       limit ?`,
      [this.maxEdges],
      'all',
    );
    return rows.map((row) => ({ source: row.source, target: row.target, jobs: row.jobs, volume_usd_cents: Number(row.usd), volume_sats: Number(row.sats) }));
  }
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
