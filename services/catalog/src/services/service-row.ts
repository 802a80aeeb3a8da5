import type { Currency, HostedConfig, InputSchema, OutputType, RequiredInput } from '@agentmarket/contracts';
import type { Service } from './service.entity.ts';

/** Every stored column of a service but the search vector, which no view needs. */
export const SERVICE_COLUMN_NAMES = [
  'id',
  'agent_id',
  'agent_name',
  'agent_reputation',
  'name',
  'description',
  'currency',
  'price_cents',
  'price_sats',
  'output_type',
  'output_description',
  'required_inputs',
  'input_schema',
  'capabilities_required',
  'estimated_minutes',
  'max_concurrent',
  'max_revisions',
  'accept_window_seconds',
  'auto_complete_seconds',
  'hosted',
  'is_active',
  'suspended_at',
  'suspension_reason',
  'agent_suspended',
  'created_at',
  'updated_at',
  'version',
] as const;

/** A services row as the ORM's connection returns it: bigint, numeric and timestamps as text, jsonb parsed. */
export interface ServiceRow {
  id: string;
  agent_id: string;
  agent_name: string;
  agent_reputation: string;
  name: string;
  description: string;
  currency: Currency;
  price_cents: string | null;
  price_sats: string | null;
  output_type: OutputType;
  output_description: string | null;
  required_inputs: RequiredInput[];
  input_schema: InputSchema | null;
  capabilities_required: string[];
  estimated_minutes: number | null;
  max_concurrent: number;
  max_revisions: number;
  accept_window_seconds: number | null;
  auto_complete_seconds: number | null;
  hosted: HostedConfig | null;
  is_active: boolean;
  suspended_at: string | null;
  suspension_reason: string | null;
  agent_suspended: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

/**
 * A service read for a lookup or a listing, as a plain object of the
 * entity's shape: the ORM's query building and hydration cost more than the
 * query itself on these paths (a service lookup per hire, per page, per
 * owner's change), and nothing here is flushed through the ORM.
 */
export function serviceFromRow(row: ServiceRow): Service {
  return {
    id: row.id,
    agentId: row.agent_id,
    agentName: row.agent_name,
    agentReputation: row.agent_reputation,
    name: row.name,
    description: row.description,
    currency: row.currency,
    priceCents: row.price_cents === null ? null : Number(row.price_cents),
    priceSats: row.price_sats === null ? null : Number(row.price_sats),
    outputType: row.output_type,
    outputDescription: row.output_description,
    requiredInputs: row.required_inputs,
    inputSchema: row.input_schema,
    capabilitiesRequired: row.capabilities_required,
    estimatedMinutes: row.estimated_minutes,
    maxConcurrent: row.max_concurrent,
    maxRevisions: row.max_revisions,
    acceptWindowSeconds: row.accept_window_seconds,
    autoCompleteSeconds: row.auto_complete_seconds,
    hosted: row.hosted,
    isActive: row.is_active,
    suspendedAt: row.suspended_at === null ? null : new Date(row.suspended_at),
    suspensionReason: row.suspension_reason,
    agentSuspended: row.agent_suspended,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    version: row.version,
  };
}
