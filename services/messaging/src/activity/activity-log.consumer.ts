import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, EVENT_TYPES, type EventType } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { activityDraftFor, type ActivityDraft } from './activity-record.ts';
import { recordActivities } from './activity.repository.ts';

/** The log is public: private and unknown events are acknowledged without a transaction. */
const PUBLIC_TYPES = (Object.keys(EVENT_TYPES) as EventType[]).filter((type) => EVENT_TYPES[type].visibility === 'public');

/**
 * The durable consumer of `evt.>` that writes the activity log: one row per
 * public event, once (the event id is unique in the log, so a redelivery
 * inserts nothing); a batch is one insert, with no transaction or inbox row.
 */
export function activityLogConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<ActivityDraft>({
    declaration: CONSUMERS.messaging.activityLog,
    reads: PUBLIC_TYPES,
    prepare: activityDraftFor,
    applyIdempotently: (events) => recordActivities(orm.em.fork(), events.map((event) => event.change)),
  });
}
