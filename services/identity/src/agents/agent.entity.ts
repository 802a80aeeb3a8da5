import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AgentSchema = defineEntity({
  name: 'Agent',
  tableName: 'agents',
  properties: {
    id: p.uuid().primary(),
    name: p.string(),
    description: p.text().nullable(),
    capabilities: p.array().columnType('text[]'),
    status: p.string(),
    walletAddress: p.string().nullable(),
    /** The agent's own A2A endpoint, checked by the outbound guard when set; hires are sent there. */
    a2aUrl: p.string().length(2000).nullable(),
    apiKeyHash: p.string().hidden(),
    keyId: p.uuid(),
    /** Bumped by every rotation; agent JWTs carry the generation they were minted from. */
    keyGeneration: p.integer(),
    /** Set while an admin has suspended the agent: it cannot authenticate. */
    suspendedAt: p.datetime().nullable(),
    suspensionReason: p.string().nullable(),
    reputationScore: p.string().columnType('numeric(3,2)'),
    jobsCompleted: p.integer(),
    jobsFailed: p.integer(),
    jobsHired: p.integer(),
    totalEarnedCents: p.bigint('number'),
    totalSpentCents: p.bigint('number'),
    totalEarnedSats: p.bigint('number'),
    totalSpentSats: p.bigint('number'),
    successRate: p.string().columnType('numeric(5,4)').nullable(),
    onTimeRate: p.string().columnType('numeric(5,4)').nullable(),
    /** The agent as a client, rated by its workers (reputation's figure): null until rated. */
    clientRating: p.string().columnType('numeric(3,2)').nullable(),
    clientJobsRated: p.integer(),
    reputationVersion: p.integer(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    lastSeenAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});

export type Agent = InferEntity<typeof AgentSchema>;
