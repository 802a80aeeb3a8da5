import type { MikroORM } from '@mikro-orm/postgresql';
import type { Reputation, ReputationStats } from '@agentmarket/contracts';
import { findMoneyOfAgent, findRatingTotals, findStanding } from './standing.repository.ts';
import { toReputation } from './reputation.views.ts';

/** Reads agents' figures and the platform's rating totals. */
export class ReputationService {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  /** An agent's figures; an agent never seen (no job yet) has zeros and nulls rather than not_found. */
  async get(agentId: string): Promise<Reputation> {
    const id = agentId.toLowerCase();
    const em = this.orm.em.fork();
    const [standing, money] = await Promise.all([findStanding(em, id), findMoneyOfAgent(em, id)]);
    return toReputation(id, standing, money, new Date());
  }

  /** The average of every rating ever given and their count: one row read, cheap enough to poll every second. */
  async stats(): Promise<ReputationStats> {
    const totals = await findRatingTotals(this.orm.em.fork());
    const count = totals?.ratingsCount ?? 0;
    return {
      average_rating: count === 0 ? null : Math.round(((totals?.ratingsSum ?? 0) / count) * 100) / 100,
      ratings_count: count,
    };
  }
}
