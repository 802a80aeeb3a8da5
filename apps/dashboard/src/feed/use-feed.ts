import { useEffect, useState } from 'preact/hooks';
import type { FeedItem } from './feed-item.ts';
import type { StreamStatus } from './event-stream.ts';
import type { LiveFeed } from './live-feed.ts';

export interface FeedView {
  items: readonly FeedItem[];
  paused: boolean;
  pending: number;
  status: StreamStatus;
}

/** The feed's items, paused state and connection status, re-rendered as they change. */
export function useFeed(feed: LiveFeed): FeedView {
  const read = (): FeedView => ({
    items: feed.store.items(),
    paused: feed.store.isPaused(),
    pending: feed.store.pendingCount(),
    status: feed.currentStatus(),
  });
  const [view, setView] = useState<FeedView>(read);
  useEffect(() => {
    const update = () => setView(read());
    const stopItems = feed.store.subscribe(update);
    const stopStatus = feed.onStatus(update);
    update();
    return () => {
      stopItems();
      stopStatus();
    };
  }, [feed]);
  return view;
}
