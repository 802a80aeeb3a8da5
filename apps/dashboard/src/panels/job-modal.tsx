import { useEffect, useState } from 'preact/hooks';
import { apiGet, type Credentials } from '../api/client.ts';
import type { JobTransitionRecord, JobTreeNode, JobView, MessageView, Page } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { jobIdOf } from '../feed/feed-item.ts';
import { escrowState } from '../jobs/escrow-state.ts';
import { formatDateTime, formatUsd, humanize, shortId } from '../format.ts';
import { canReadTree } from '../session/job-access.ts';
import { credentialsOf, type Session } from '../session/session.ts';
import { Modal } from '../ui/modal.tsx';
import { StatusBadge } from '../ui/panel.tsx';
import { JobBudget } from './job-budget.tsx';
import { JobDispute } from './job-dispute.tsx';
import { JobEvaluator } from './job-evaluator.tsx';

interface JobDetail {
  job: JobView;
  history: JobTransitionRecord[];
  messages: MessageView[];
  /** The job's tree, read only for a job with a budget for sub-jobs (its spent and remaining are there). */
  tree: JobTreeNode | undefined;
}

async function loadDetail(jobId: string, session: Session | undefined, signal: AbortSignal): Promise<JobDetail> {
  const credentials = credentialsOf(session);
  const [job, history, messages] = await Promise.all([
    apiGet<JobView>(`/api/jobs/${jobId}`, credentials, signal),
    apiGet<Page<JobTransitionRecord>>(`/api/jobs/${jobId}/history`, credentials, signal),
    apiGet<Page<MessageView>>(`/api/jobs/${jobId}/messages?limit=100`, credentials, signal),
  ]);
  return { job, history: history.data, messages: messages.data, tree: await loadTree(job, session, credentials, signal) };
}

/** The tree when the job has a budget and the viewer may read it; a failure costs only the spent/remaining figures, not the modal. */
async function loadTree(job: JobView, session: Session | undefined, credentials: Credentials, signal: AbortSignal): Promise<JobTreeNode | undefined> {
  if (job.subtask_budget === null || !canReadTree(session, job)) return undefined;
  try {
    return await apiGet<JobTreeNode>(`/api/jobs/${job.id}/tree`, credentials, signal);
  } catch (caught) {
    if (signal.aborted) throw caught;
    return undefined;
  }
}

function price(job: JobView): string {
  return job.currency === 'SAT' ? `${(job.price_sats ?? 0).toLocaleString('en-US')} sats` : formatUsd(job.price_usd ?? '0.00');
}

function content(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function actorText(actor: JobTransitionRecord['actor'], job: JobView): string {
  if (actor.type === 'system') return 'the system';
  if (actor.id && actor.id === job.worker_agent_id) return 'the worker';
  if (actor.id && actor.id === job.evaluator_agent_id) return 'the evaluator';
  if (actor.id && (actor.id === job.client_agent_id || actor.id === job.client_user_id)) return 'the client';
  return `${actor.type} ${shortId(actor.id)}`;
}

/** A job's detail: status timeline (/history), deliverables, thread (/messages), escrow; follows the job's events live. */
export function JobModal(props: { jobId: string; returnFocus: HTMLElement | null; onClose(): void }) {
  const { session, feed } = useApp();
  const [detail, setDetail] = useState<JobDetail | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    loadDetail(props.jobId, session, controller.signal).then(
      (loaded) => {
        setDetail(loaded);
        setError(undefined);
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(caught instanceof Error ? caught.message : String(caught));
      },
    );
    return () => controller.abort();
  }, [props.jobId, session, version]);

  useEffect(
    () =>
      feed.store.onArrival((item) => {
        // A sub-job's events change what this job's budget has spent, so they refresh it too.
        if (jobIdOf(item) === props.jobId || item.data.parent_job_id === props.jobId) setVersion((count) => count + 1);
      }),
    [feed, props.jobId],
  );

  const job = detail?.job;
  const escrow = job ? escrowState(job.status) : undefined;
  return (
    <Modal titleId="job-modal-title" onClose={props.onClose} returnFocus={props.returnFocus} testId="job-modal">
      <header class="modal-head">
        <h2 id="job-modal-title">{job?.title ?? `Job ${shortId(props.jobId)}`}</h2>
        <button type="button" class="icon-button" aria-label="Close job detail" onClick={props.onClose}>
          <span aria-hidden="true">✕</span>
        </button>
      </header>
      {error ? (
        <p class="status status-error" role="alert">
          {error}
        </p>
      ) : null}
      {!detail && !error ? <p class="status">Loading…</p> : null}
      {job && detail && escrow ? (
        <>
          <dl class="facts">
            <div>
              <dt>Status</dt>
              <dd data-testid="job-status">
                <StatusBadge status={job.status} />
              </dd>
            </div>
            <div>
              <dt>Price</dt>
              <dd>{price(job)}</dd>
            </div>
            <JobEvaluator job={job} />
            <JobBudget job={job} tree={detail.tree} />
            <div>
              <dt>Escrow</dt>
              <dd data-testid="job-escrow">
                <strong>{escrow.state}</strong> <span class="muted">({escrow.explanation})</span>
              </dd>
            </div>
            <div>
              <dt>Revisions</dt>
              <dd>
                {job.revision_count} / {job.max_revisions}
              </dd>
            </div>
            {job.rating !== null ? (
              <div>
                <dt>Rating</dt>
                <dd>
                  {job.rating}/5{job.review ? ` — “${job.review}”` : ''}
                </dd>
              </div>
            ) : null}
          </dl>
          {job.dispute ? <JobDispute dispute={job.dispute} /> : null}
          <section aria-labelledby="job-timeline-title">
            <h3 id="job-timeline-title">Timeline</h3>
            <ol class="timeline" data-testid="job-timeline">
              {detail.history.map((step) => (
                <li key={step.id} data-testid="timeline-step" data-to={step.to}>
                  <time dateTime={step.at}>{formatDateTime(step.at)}</time>
                  <span>
                    {step.from ? `${humanize(step.from)} → ` : ''}
                    <strong>{humanize(step.to)}</strong>
                  </span>
                  <span class="muted">
                    {humanize(step.event)} by {actorText(step.actor, job)}
                  </span>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="job-deliverables-title">
            <h3 id="job-deliverables-title">Deliverables</h3>
            {job.deliverables.length === 0 ? <p class="muted">None yet.</p> : null}
            {job.deliverables.map((deliverable) => (
              <article key={deliverable.id} class="deliverable">
                <h4>
                  Version {deliverable.version} · {deliverable.artifact_type} · <time dateTime={deliverable.created_at}>{formatDateTime(deliverable.created_at)}</time>
                </h4>
                <pre tabIndex={0}>{content(deliverable.content)}</pre>
              </article>
            ))}
          </section>
          <section aria-labelledby="job-thread-title">
            <h3 id="job-thread-title">Thread</h3>
            {detail.messages.length === 0 ? <p class="muted">No messages.</p> : null}
            <ol class="thread">
              {detail.messages.map((message) => (
                <li key={message.id}>
                  <time dateTime={message.created_at}>{formatDateTime(message.created_at)}</time> <span class="muted">{humanize(message.message_type)}</span>
                  <p>{message.content.message}</p>
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </Modal>
  );
}
