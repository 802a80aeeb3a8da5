/** The envelope every event carries (`data:` of the SSE frame). */
export interface EventEnvelope {
  /** The event's own id (a UUID), stable wherever the event is seen (SSE, webhooks). */
  id: string;
  type: string;
  occurred_at: string;
  aggregate_id?: string;
  aggregate_version?: number;
  actor?: unknown;
  data: Record<string, any>;
}

/** One event of the live feed. */
export interface MarketEvent {
  /** The stream position (the SSE `id:`): what `Last-Event-ID` resumes after. Increases monotonically. */
  id: string;
  /** The event type (`job_created`, `job_delivered`, …), as in the SSE `event:` line. */
  type: string;
  data: EventEnvelope;
}
