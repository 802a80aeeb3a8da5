/** The timing fields of a job event that decide whether the work came in on time. */
export interface DeliveryTiming {
  estimated_minutes?: number | null;
  started_at?: string | null;
  delivered_at?: string | null;
}

/**
 * Whether a finished job was delivered on time: its last delivery came at
 * most `estimated_minutes` after the start. A job never delivered is not on
 * time. Without an estimate (the service gave none, or the event predates
 * estimates), or without a start time to measure from, a delivered job
 * counts as on time: nothing was promised that it could have missed.
 */
export function deliveredOnTime(timing: DeliveryTiming): boolean {
  const deliveredAt = parseTime(timing.delivered_at);
  if (deliveredAt === undefined) return false;
  const startedAt = parseTime(timing.started_at);
  if (timing.estimated_minutes == null || startedAt === undefined) return true;
  return deliveredAt - startedAt <= timing.estimated_minutes * 60_000;
}

function parseTime(value: string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
