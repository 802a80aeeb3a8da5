import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { EVENT_INFO, FEED_EVENT_TYPES, eventLabel } from '../feed/event-info.ts';
import { eventSummary } from '../feed/event-summary.ts';
import { jobIdOf, type FeedItem } from '../feed/feed-item.ts';
import { useFeed } from '../feed/use-feed.ts';
import { formatTime, shortId } from '../format.ts';
import { canOpenJob, concernsViewer } from '../session/job-access.ts';
import { Panel } from '../ui/panel.tsx';

const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unauthorized: 'Key rejected' } as const;

const GROUP_FILTERS = [
  { value: 'group:jobs', label: 'All job events' },
  { value: 'group:agents', label: 'All agent events' },
  { value: 'group:services', label: 'All service events' },
  { value: 'group:money', label: 'Money (your own)' },
] as const;

function matches(filter: string, item: FeedItem): boolean {
  if (filter === 'all') return true;
  if (filter.startsWith('group:')) return (EVENT_INFO as Record<string, { group: string }>)[item.type]?.group === filter.slice(6);
  return item.type === filter;
}

/** The live event feed: newest first, pausable, filtered by type; job events open the job when the viewer may see it. */
export function FeedPanel() {
  const { feed, session, openJob } = useApp();
  const view = useFeed(feed);
  const [filter, setFilter] = useState('all');
  const [, setNamesKnown] = useState(0);
  // A name learnt later rewrites the sentences that showed an id.
  useEffect(() => feed.names.subscribe(() => setNamesKnown((count) => count + 1)), [feed]);
  const nameOf = (id: string) => feed.names.nameOf(id);
  const shown = view.items.filter((item) => matches(filter, item));

  const actions = (
    <>
      <span class={`stream-status stream-${view.status}`} data-testid="stream-status" data-status={view.status} role="status">
        {STATUS_TEXT[view.status]}
      </span>
      <button
        type="button"
        aria-pressed={view.paused}
        data-testid="feed-pause"
        onClick={() => (view.paused ? feed.store.resume() : feed.store.pause())}
      >
        {view.paused ? `Resume${view.pending > 0 ? ` (${view.pending} new)` : ''}` : 'Pause'}
      </button>
    </>
  );

  return (
    <Panel id="feed" title="Live feed" actions={actions} class="panel-tall">
      <div class="toolbar">
        <label>
          Show{' '}
          <select value={filter} data-testid="feed-filter" onChange={(event) => setFilter(event.currentTarget.value)}>
            <option value="all">All events</option>
            {GROUP_FILTERS.map((group) => (
              <option key={group.value} value={group.value}>
                {group.label}
              </option>
            ))}
            {FEED_EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {EVENT_INFO[type].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {shown.length === 0 ? <p class="status">{view.items.length === 0 ? 'No events yet.' : 'No events of this type yet.'}</p> : null}
      <ol class="feed" aria-label="Events, newest first" data-testid="feed-list">
        {shown.map((item) => {
          const jobId = jobIdOf(item);
          return (
            <li key={item.id} class={`feed-item${concernsViewer(session, item) ? ' feed-mine' : ''}`} data-testid="feed-item" data-type={item.type} data-event-id={item.id} data-job-id={jobId}>
              <time dateTime={item.occurredAt}>{formatTime(item.occurredAt)}</time>
              <span class="feed-type">{eventLabel(item.type)}</span>
              <span class="feed-summary">{eventSummary(item, nameOf)}</span>
              {jobId && canOpenJob(session, item) ? (
                <button type="button" class="link-button" aria-label={`Open job ${shortId(jobId)}`} onClick={(event) => openJob(jobId, event.currentTarget)}>
                  Open
                </button>
              ) : null}
            </li>
          );
        })}
      </ol>
    </Panel>
  );
}
