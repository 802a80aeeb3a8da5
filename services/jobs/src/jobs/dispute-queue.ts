import { boundedPage } from '@agentmarket/messaging';
import type { MikroORM } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, type AdminDisputesQuery, type CursorShape, type DisputedJob, type Page } from '@agentmarket/contracts';
import { disputedJobIds, findJobsByIds } from './job-reads.repository.ts';
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
  const ids = await disputedJobIds(em, after, query.limit + 1);
  const jobs = ids.length > 0 ? await findJobsByIds(em, ids) : [];
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const ordered = ids.flatMap((id) => byId.get(id) ?? []);
  return boundedPage(ordered, query.limit, toJobSummary, (last) => encodeCursor({ value: last.dispute?.opened_at ?? '', id: last.id }, DISPUTES_CURSOR.list));
}
