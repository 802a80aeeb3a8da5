import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { uuidv7, type ActivityPage, type ActivityQuery } from '@agentmarket/contracts';
import { cursorId, idPageOf } from '@agentmarket/messaging';
import { ActivityEntrySchema, type ActivityRecord } from './activity.entity.ts';
import type { ActivityDraft } from './activity-record.ts';
import { toActivityEntry } from './activity.views.ts';

/** Stores activity rows in the caller's transaction with one insert; a second row for the same event is silently dropped. */
export async function recordActivities(em: EntityManager, drafts: ActivityDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await em
    .createQueryBuilder(ActivityEntrySchema)
    .insert(drafts.map((draft) => ({ id: uuidv7(), ...draft })))
    .onConflict('eventId')
    .ignore()
    .execute('run');
}

/** The platform activity log, newest first. */
export class ActivityService {
  private readonly orm: MikroORM;

  constructor(orm: MikroORM) {
    this.orm = orm;
  }

  async list(query: ActivityQuery): Promise<ActivityPage> {
    const conditions: FilterQuery<ActivityRecord>[] = [];
    if (query.agent_id) conditions.push({ agentIds: { $contains: [query.agent_id] } });
    if (query.job_id) conditions.push({ jobId: query.job_id });
    if (query.type) conditions.push({ type: query.type });
    const after = cursorId(query.cursor, 'activity');
    if (after) conditions.push({ id: { $lt: after } });
    const rows = await this.orm.em
      .fork()
      .find(ActivityEntrySchema, conditions.length > 0 ? { $and: conditions } : {}, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
    return idPageOf(rows, query.limit, toActivityEntry, 'activity');
  }
}
