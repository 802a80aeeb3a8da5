import { boundedPage } from '@agentmarket/messaging';
import type { MikroORM } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, type AdminDisputesQuery, type CursorShape, type DisputedJob, type Page } from '@agentmarket/contracts';
import { JobSchema } from './job.entity.ts';
import { toJobSummary } from './job.views.ts';

/** Pages by when the dispute was opened (its ISO text sorts as the time does), then by id. */
const DISPUTES_CURSOR: CursorShape = { list: 'disputes', value: 'text', id: 'uuid' };

/**
 * The admins' queue: every disputed job, the one waiting longest first, with
 * its dispute (reason, the worker's answer) and no inputs or deliverables
 * (an admin opens the job for those).
 */
export async function listDisputedJobs(orm: MikroORM, query: AdminDisputesQuery): Promise<Page<DisputedJob>> {
  const em = orm.em.fork();
  const after = query.cursor ? decodeCursor(query.cursor, DISPUTES_CURSOR) : undefined;
  const ids = await em.execute<{ id: string }[]>(
    `select id from jobs.jobs where status = 'disputed' and funding_status = 'funded'
       ${after ? "and (dispute ->> 'opened_at', id) > (?::text, ?::uuid)" : ''}
     order by dispute ->> 'opened_at', id limit ?`,
    [...(after ? [after.value, after.id] : []), query.limit + 1],
    'all',
  );
  const jobs = ids.length > 0 ? await em.find(JobSchema, { id: { $in: ids.map((row) => row.id) } }) : [];
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const ordered = ids.flatMap((row) => byId.get(row.id) ?? []);
  return boundedPage(ordered, query.limit, toJobSummary, (last) => encodeCursor({ value: last.dispute?.opened_at ?? '', id: last.id }, DISPUTES_CURSOR.list));
}
