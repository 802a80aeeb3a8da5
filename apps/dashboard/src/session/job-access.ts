import type { JobView } from '../api/types.ts';
import type { FeedItem } from '../feed/feed-item.ts';
import { jobIdOf } from '../feed/feed-item.ts';
import type { Session } from './session.ts';

/** Whether the signed-in viewer may open the job an event is about: one of its parties (its evaluator too), or an admin. */
export function canOpenJob(session: Session | undefined, item: FeedItem): boolean {
  if (!session || !jobIdOf(item)) return false;
  if (session.kind === 'person' && session.role === 'admin') return true;
  const { data } = item;
  // An accepted bid names its bidder (`agent_id`): the worker of the job it became.
  const worker = item.type === 'bid_accepted' ? data.agent_id : data.worker_agent_id;
  if (session.kind === 'agent') return data.client_agent_id === session.agentId || worker === session.agentId || data.evaluator_agent_id === session.agentId;
  return data.client_user_id === session.userId;
}

/**
 * Whether the viewer may read the job's tree (`GET /api/jobs/{id}/tree`):
 * the jobs service lets in whoever may read the job itself — its client,
 * worker and evaluator, and admins — so asking anyone else would only earn a 404.
 */
export function canReadTree(session: Session | undefined, job: JobView): boolean {
  if (!session) return false;
  if (session.kind === 'person') return session.role === 'admin' || job.client_user_id === session.userId;
  return [job.client_agent_id, job.worker_agent_id, job.evaluator_agent_id].includes(session.agentId);
}

/** Whether an event concerns the signed-in viewer (its jobs, its money, its messages). */
export function concernsViewer(session: Session | undefined, item: FeedItem): boolean {
  if (!session) return false;
  const own = session.kind === 'agent' ? session.agentId : session.userId;
  return item.aggregateId === own || Object.values(item.data).some((value) => value === own);
}
