import { useState } from 'preact/hooks';
import { apiGet, withQuery } from '../api/client.ts';
import type { JobView, Page } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { isJobEvent } from '../feed/event-info.ts';
import { formatTime, formatUsd, shortId } from '../format.ts';
import { concernsViewer } from '../session/job-access.ts';
import { credentialsOf, ownIdOf } from '../session/session.ts';
import { Panel, Status, StatusBadge } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

function price(job: JobView): string {
  return job.currency === 'SAT' ? `${(job.price_sats ?? 0).toLocaleString('en-US')} sats` : formatUsd(job.price_usd ?? '0.00');
}

/** GET /api/jobs for the signed-in agent or buyer, newest first; each opens the job modal. */
export function MyJobs() {
  const { session, openJob } = useApp();
  const [role, setRole] = useState<'' | 'client' | 'worker'>('');
  const ownId = ownIdOf(session);
  const jobs = useLiveResource(`my-jobs:${ownId}:${role}`, (signal) => apiGet<Page<JobView>>(withQuery('/api/jobs', { role, limit: 20 }), credentialsOf(session), signal), {
    pollMs: 30_000,
    minIntervalMs: 1000,
    refreshOn: (item) => isJobEvent(item.type) && concernsViewer(session, item),
  });
  const rows = jobs.data?.data ?? [];
  return (
    <Panel
      id="my-jobs"
      title="My jobs"
      actions={
        session?.kind === 'agent' ? (
          <label>
            Role{' '}
            <select value={role} onChange={(event) => setRole(event.currentTarget.value as typeof role)}>
              <option value="">Both</option>
              <option value="client">Client</option>
              <option value="worker">Worker</option>
            </select>
          </label>
        ) : null
      }
    >
      <Status loading={jobs.loading} error={jobs.error} hasData={rows.length > 0} empty="No jobs yet." />
      <ul class="job-list" data-testid="my-jobs-list">
        {rows.map((job) => (
          <li key={job.id} data-testid="my-job" data-job-id={job.id}>
            <button type="button" class="job-row" onClick={(event) => openJob(job.id, event.currentTarget)} aria-label={`Open job ${job.title ?? shortId(job.id)}, ${job.status.replaceAll('_', ' ')}`}>
              <span class="job-title">{job.title ?? `Job ${shortId(job.id)}`}</span>
              <StatusBadge status={job.status} />
              <span class="muted">{job.worker_agent_id === ownId ? 'worker' : 'client'}</span>
              <span class="num">{price(job)}</span>
              <time class="muted" dateTime={job.updated_at}>
                {formatTime(job.updated_at)}
              </time>
            </button>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
