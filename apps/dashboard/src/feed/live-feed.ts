import type { ActivityEntry, Page } from '@agentmarket/contracts';
import type { EventEnvelope } from '../api/types.ts';
import { AgentNames } from './agent-names.ts';
import { openPrivateStream, openPublicStream, type EventStream, type StreamStatus } from './event-stream.ts';
import type { FeedItem } from './feed-item.ts';
import { FeedStore } from './feed-store.ts';

const BACKLOG_SIZE = 50;
/** How far before the page's first request the stream starts: covers the gap to the activity log, which trails the bus. */
const START_MARGIN_MS = 10_000;

function fromEnvelope(seq: number, envelope: EventEnvelope): FeedItem {
  return {
    id: envelope.id,
    seq,
    type: envelope.type,
    occurredAt: envelope.occurred_at,
    actor: envelope.actor,
    aggregateId: envelope.aggregate_id,
    data: envelope.data,
  };
}

function fromActivity(entry: ActivityEntry): FeedItem {
  return {
    id: entry.event_id,
    seq: undefined,
    type: entry.type,
    occurredAt: entry.occurred_at,
    actor: entry.actor,
    aggregateId: entry.job_id ?? entry.service_id ?? entry.agent_ids[0] ?? entry.id,
    data: entry.data,
  };
}

/**
 * The market's live feed: recent history from the activity log, then the
 * event stream, public or (for a signed-in agent) with its private events.
 * Switching streams resumes from the last position, so no event is missed.
 */
export class LiveFeed {
  readonly store = new FeedStore(200);
  readonly names = new AgentNames();
  private stream: EventStream | undefined;
  private status: StreamStatus = 'connecting';
  private since: Promise<string> | undefined;
  private readonly statusListeners = new Set<(status: StreamStatus) => void>();
  private generation = 0;

  constructor() {
    this.store.onArrival((item) => this.names.learnFrom(item));
  }

  /** Opens the stream (again): with a credential header it carries that party's private events too. */
  async connect(credential: Record<string, string> | undefined): Promise<void> {
    const generation = ++this.generation;
    this.since ??= this.loadBacklog();
    const since = await this.since;
    if (generation !== this.generation) return;
    const afterSeq = this.stream?.lastSeq();
    this.stream?.close();
    const handlers = {
      onEvent: (seq: number, envelope: EventEnvelope) => {
        this.store.add(fromEnvelope(seq, envelope));
      },
      onStatus: (status: StreamStatus) => this.setStatus(status),
    };
    this.stream = credential ? openPrivateStream(credential, { afterSeq, since }, handlers) : openPublicStream({ afterSeq, since }, handlers);
  }

  close(): void {
    this.generation += 1;
    this.stream?.close();
    this.stream = undefined;
  }

  currentStatus(): StreamStatus {
    return this.status;
  }

  onStatus(listener: (status: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: StreamStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  /** Fills the feed from the activity log; answers where the stream should start, on the server's clock when it tells. */
  private async loadBacklog(): Promise<string> {
    let now = Date.now();
    try {
      const response = await fetch(`/api/activity?limit=${BACKLOG_SIZE}`, { headers: { accept: 'application/json' }, cache: 'no-store' });
      const serverDate = Date.parse(response.headers.get('date') ?? '');
      if (Number.isFinite(serverDate)) now = serverDate;
      if (response.ok) {
        const page = (await response.json()) as Page<ActivityEntry>;
        for (const entry of page.data) this.store.add(fromActivity(entry));
      }
    } catch {
      // No history: the live stream still starts.
    }
    return new Date(now - START_MARGIN_MS).toISOString();
  }
}
