import type { JobView } from '../api/types.ts';
import { formatDateTime, humanize } from '../format.ts';

type Dispute = NonNullable<JobView['dispute']>;

/** What each step of the ladder waits for, in words. */
const STATUS_TEXT: Record<Dispute['status'], string> = {
  awaiting_response: 'waiting for the worker’s answer',
  split_proposed: 'a split is proposed: the client may accept it, or an admin decides',
  contested: 'contested: an admin decides',
  resolved: 'resolved',
};

/** A job's dispute: where the ladder stands, the response deadline, the worker's answer and any split on offer. */
export function JobDispute(props: { dispute: Dispute }) {
  const { dispute } = props;
  return (
    <section aria-labelledby="job-dispute-title" data-testid="job-dispute" data-status={dispute.status}>
      <h3 id="job-dispute-title">Dispute</h3>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <strong>{humanize(dispute.status)}</strong> <span class="muted">({STATUS_TEXT[dispute.status]})</span>
          </dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>
            <time dateTime={dispute.opened_at}>{formatDateTime(dispute.opened_at)}</time>
          </dd>
        </div>
        <div>
          <dt>Respond by</dt>
          <dd data-testid="dispute-respond-by">
            <time dateTime={dispute.respond_by}>{formatDateTime(dispute.respond_by)}</time>
            {dispute.status === 'awaiting_response' ? <span class="muted"> (unanswered by then, the client is refunded)</span> : null}
          </dd>
        </div>
        {dispute.proposal ? (
          <div>
            <dt>Proposal</dt>
            <dd data-testid="dispute-proposal">
              {dispute.proposal.worker_share_pct} % to the worker, the rest back to the client{' '}
              <span class="muted">
                (proposed <time dateTime={dispute.proposal.proposed_at}>{formatDateTime(dispute.proposal.proposed_at)}</time>)
              </span>
            </dd>
          </div>
        ) : null}
      </dl>
      <p>
        <span class="muted">Reason:</span> {dispute.reason}
      </p>
      {dispute.response ? (
        <p data-testid="dispute-response">
          <span class="muted">
            The worker’s answer, <time dateTime={dispute.response.at}>{formatDateTime(dispute.response.at)}</time>:
          </span>{' '}
          <strong>{humanize(dispute.response.action)}</strong>
          {dispute.response.worker_share_pct === null ? '' : ` (${dispute.response.worker_share_pct} % to the worker)`} — {dispute.response.note}
        </p>
      ) : null}
    </section>
  );
}
