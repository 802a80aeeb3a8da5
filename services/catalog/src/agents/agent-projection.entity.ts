import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * What the catalog knows of an agent, from identity's events. `version` is
 * the aggregate version of the last event applied, not an optimistic lock.
 */
export const AgentProjectionSchema = defineEntity({
  name: 'AgentProjection',
  tableName: 'agents',
  properties: {
    agentId: p.uuid().primary(),
    name: p.string(),
    reputationScore: p.string().columnType('numeric(3,2)'),
    version: p.integer(),
  },
});

export type AgentProjection = InferEntity<typeof AgentProjectionSchema>;
