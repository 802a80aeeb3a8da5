import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * What the catalog knows of an agent: its name from identity's events, its
 * score from reputation's. `version` and `reputationVersion` are the aggregate
 * versions of the last agent and reputation event applied, not optimistic
 * locks. The name is null while only the figures have arrived.
 */
export const AgentProjectionSchema = defineEntity({
  name: 'AgentProjection',
  tableName: 'agents',
  properties: {
    agentId: p.uuid().primary(),
    name: p.string().nullable(),
    reputationScore: p.string().columnType('numeric(3,2)'),
    version: p.integer(),
    reputationVersion: p.integer(),
  },
});

export type AgentProjection = InferEntity<typeof AgentProjectionSchema>;
