import type { Actor } from '@agentmarket/contracts';

/** One event as the feed shows it, whether it came from the live stream or the activity log. */
export interface FeedItem {
  /** The envelope id (UUID): the same event from any source has the same one. */
  id: string;
  /** The stream position (SSE `id:`); undefined for entries of the activity log. */
  seq: number | undefined;
  type: string;
  occurredAt: string;
  actor: Actor;
  aggregateId: string;
  data: Record<string, unknown>;
}

/** The job an event is about, if any. */
export function jobIdOf(item: FeedItem): string | undefined {
  const value = item.data.job_id;
  return typeof value === 'string' ? value : undefined;
}
