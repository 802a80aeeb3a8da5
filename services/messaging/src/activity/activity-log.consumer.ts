import type { MikroORM } from '@mikro-orm/postgresql';
import { CONSUMERS, EVENT_TYPES, type EventType } from '@agentmarket/contracts';
import { eventConsumer, type ConsumerSpec } from '@agentmarket/messaging';
import { MESSAGING_SCHEMA } from '../schema.ts';
import { activityDraftFor, type ActivityDraft } from './activity-record.ts';
import { recordActivities } from './activity.repository.ts';

/** The log is public: private and unknown events are acknowledged without a transaction. */
const PUBLIC_TYPES = (Object.keys(EVENT_TYPES) as EventType[]).filter((type) => EVENT_TYPES[type].visibility === 'public');

/** The durable consumer of `evt.>` that writes the activity log: one row per public event, once; a batch is one insert. */
export function activityLogConsumer(orm: MikroORM): ConsumerSpec {
  return eventConsumer<ActivityDraft>({
    declaration: CONSUMERS.messaging.activityLog,
    orm,
    schema: MESSAGING_SCHEMA,
    reads: PUBLIC_TYPES,
    prepare: activityDraftFor,
    apply: (em, events) => recordActivities(em, events.map((event) => event.change)),
  });
}
