import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ActivityEntrySchema = defineEntity({
  name: 'ActivityEntry',
  tableName: 'activity',
  properties: {
    id: p.uuid().primary(),
    eventId: p.uuid().unique(),
    type: p.string(),
    actorType: p.string(),
    actorId: p.string().nullable(),
    agentIds: p.array().columnType('uuid[]'),
    jobId: p.uuid().nullable(),
    serviceId: p.uuid().nullable(),
    summary: p.text(),
    data: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime(),
  },
});

export type ActivityRecord = InferEntity<typeof ActivityEntrySchema>;
