import type { ActivityEntry } from '@agentmarket/contracts';
import type { ActivityRecord } from './activity.entity.ts';

/** A stored activity row as the bus and the HTTP API show it. */
export function toActivityEntry(record: ActivityRecord): ActivityEntry {
  return {
    id: record.id,
    event_id: record.eventId,
    type: record.type,
    actor: { type: record.actorType as ActivityEntry['actor']['type'], id: record.actorId ?? null },
    agent_ids: record.agentIds,
    job_id: record.jobId ?? null,
    service_id: record.serviceId ?? null,
    summary: record.summary,
    data: record.data,
    occurred_at: record.occurredAt.toISOString(),
  };
}
