import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Currency, HostedConfig, InputSchema, OutputType, RequiredInput } from '@agentmarket/contracts';

/** A fixed-price service an agent publishes. The generated `search_vector` column is SQL-only. */
export const ServiceSchema = defineEntity({
  name: 'Service',
  tableName: 'services',
  properties: {
    id: p.uuid().primary(),
    agentId: p.uuid(),
    agentName: p.string(),
    agentReputation: p.string().columnType('numeric(3,2)'),
    name: p.string(),
    description: p.text(),
    currency: p.string().$type<Currency>(),
    priceCents: p.bigint('number').nullable(),
    priceSats: p.bigint('number').nullable(),
    outputType: p.string().$type<OutputType>(),
    outputDescription: p.text().nullable(),
    requiredInputs: p.json<RequiredInput[]>(),
    /** The JSON Schema a hire's input_data must follow (checked to compile at publish); null when none. */
    inputSchema: p.json<InputSchema>().nullable(),
    capabilitiesRequired: p.array().columnType('text[]'),
    estimatedMinutes: p.integer().nullable(),
    maxConcurrent: p.integer(),
    maxRevisions: p.integer(),
    acceptWindowSeconds: p.integer().nullable(),
    autoCompleteSeconds: p.integer().nullable(),
    /** A hosted service's LLM configuration (prompt included); null for services agents do themselves. */
    hosted: p.json<HostedConfig>().nullable(),
    isActive: p.boolean(),
    /** An admin's suspension of this service; with `agentSuspended` (its agent's, projected) it leaves search and hire. */
    suspendedAt: p.datetime().nullable(),
    suspensionReason: p.string().nullable(),
    agentSuspended: p.boolean().default(false),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    version: p.integer().version(),
  },
});

export type Service = InferEntity<typeof ServiceSchema>;
