import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7, type ActivityQuery } from '@agentmarket/contracts';
import { ActivityEntrySchema, type ActivityRecord } from './activity.entity.ts';
import type { ActivityDraft } from './activity-record.ts';

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

/** The log entries the query's filters select, newest first, older than `beforeId` when given; `limit` rows. */
export async function findActivities(em: EntityManager, query: Pick<ActivityQuery, 'agent_id' | 'job_id' | 'type'>, beforeId: string | undefined, limit: number): Promise<ActivityRecord[]> {
  const conditions: FilterQuery<ActivityRecord>[] = [];
  if (query.agent_id) conditions.push({ agentIds: { $contains: [query.agent_id] } });
  if (query.job_id) conditions.push({ jobId: query.job_id });
  if (query.type) conditions.push({ type: query.type });
  if (beforeId) conditions.push({ id: { $lt: beforeId } });
  return em.find(ActivityEntrySchema, conditions.length > 0 ? { $and: conditions } : {}, { orderBy: { id: 'desc' }, limit });
}
