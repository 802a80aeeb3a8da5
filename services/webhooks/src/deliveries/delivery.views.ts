import type { WebhookDeliveryView } from '@agentmarket/contracts';

/** A delivery row as SQL returns it (without the body). */
export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** The columns toDeliveryView reads, for selects. */
export const DELIVERY_COLUMNS =
  'id, endpoint_id, event_id, event_type, status, attempts, last_status_code, last_error, next_attempt_at, delivered_at, created_at';

const iso = (value: Date | null) => (value === null ? null : new Date(value).toISOString());

export function toDeliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    delivered_at: iso(row.delivered_at),
    created_at: new Date(row.created_at).toISOString(),
  };
}
