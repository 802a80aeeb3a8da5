import { apiGet } from '../api/client.ts';
import type { InboxView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { isJobEvent } from '../feed/event-info.ts';
import { jobIdOf, type FeedItem } from '../feed/feed-item.ts';
import { formatTime, humanize } from '../format.ts';
import { concernsViewer } from '../session/job-access.ts';
import { credentialsOf, ownIdOf } from '../session/session.ts';
import { Panel, Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

/** Whether `item` is a job transition someone else made, whose automatic message this inbox does not show yet. */
function awaitsItsMessage(inbox: InboxView, item: FeedItem, ownId: string | undefined): boolean {
  const jobId = jobIdOf(item);
  if (!jobId || !isJobEvent(item.type) || item.actor.id === ownId) return false;
  return !inbox.messages.some((message) => message.job_id === jobId && message.message_type === item.type && message.created_at >= item.occurredAt);
}

/** GET /api/inbox: the latest messages with the unread count; a message about a job opens it. */
export function MyInbox() {
  const { session, openJob } = useApp();
  const inbox = useLiveResource(`inbox:${ownIdOf(session)}`, (signal) => apiGet<InboxView>('/api/inbox?limit=10&unread=false', credentialsOf(session), signal), {
    pollMs: 30_000,
    minIntervalMs: 1000,
    refreshOn: (item) => concernsViewer(session, item),
    debounceMs: 800,
    // A job transition is announced by the job event alone; its automatic message is written a moment later.
    isStale: (value, item) => awaitsItsMessage(value, item, ownIdOf(session)),
  });
  const messages = inbox.data?.messages ?? [];
  return (
    <Panel id="my-inbox" title="My inbox" actions={inbox.data ? <span class="pill" data-testid="inbox-unread">{inbox.data.unread_count} unread of {inbox.data.total}</span> : null}>
      <Status loading={inbox.loading} error={inbox.error} hasData={messages.length > 0} empty="No messages." />
      <ul class="inbox" data-testid="inbox-list">
        {messages.map((message) => (
          <li key={message.id} class={message.read_at ? '' : 'unread'}>
            <time dateTime={message.created_at}>{formatTime(message.created_at)}</time>
            <span class="feed-type">{humanize(message.message_type)}</span>
            <span>{message.content.message}</span>
            {message.job_id ? (
              <button type="button" class="link-button" aria-label="Open the job of this message" onClick={(event) => message.job_id && openJob(message.job_id, event.currentTarget)}>
                Open
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </Panel>
  );
}
