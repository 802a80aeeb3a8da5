import type { MikroORM } from '@mikro-orm/postgresql';
import type { JobEdge, JobStats } from '@agentmarket/contracts';
import { clientWorkerEdges, jobCountsByStatus } from './job-stats.repository.ts';

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
    const rows = await jobCountsByStatus(this.orm.em.fork());
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
    const rows = await clientWorkerEdges(this.orm.em.fork(), this.maxEdges);
    return rows.map((row) => ({ source: row.source, target: row.target, jobs: row.jobs, volume_usd_cents: Number(row.usd), volume_sats: Number(row.sats) }));
  }
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
