import type { JobView } from '@agentmarket/contracts';
import type { Job } from './job.entity.ts';

/** The job's dispute as its parties and admins see it: where the ladder stands, the worker's answer and the proposal the client may accept. */
export function toDisputeView(job: Job): JobView['dispute'] {
  const dispute = job.dispute;
  if (!dispute) return null;
  const response = dispute.response;
  const open = job.status === 'disputed';
  const proposing = open && response?.action === 'propose_split';
  return {
    status: !open ? 'resolved' : response === null ? 'awaiting_response' : proposing ? 'split_proposed' : 'contested',
    reason: dispute.reason,
    opened_at: dispute.opened_at,
    respond_by: dispute.respond_by,
    response,
    proposal: proposing ? { worker_share_pct: response.worker_share_pct ?? 0, proposed_at: response.at } : null,
  };
}
