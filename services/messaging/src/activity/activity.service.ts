import type { MikroORM } from '@mikro-orm/postgresql';
import type { ActivityPage, ActivityQuery } from '@agentmarket/contracts';
import { cursorId, idPageOf } from '@agentmarket/messaging';
import { findActivities } from './activity.repository.ts';
import { toActivityEntry } from './activity.views.ts';

/** The platform activity log, newest first. */
export class ActivityService {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async list(query: ActivityQuery): Promise<ActivityPage> {
    const after = cursorId(query.cursor, 'activity');
    const rows = await findActivities(this.orm.em.fork(), query, after, query.limit + 1);
    return idPageOf(rows, query.limit, toActivityEntry, 'activity');
  }
}
