import { centsToUsd, type UpdateServiceInput } from '@agentmarket/contracts';
import type { Service } from './service.entity.ts';

/** Fields copied as they are: API name → entity property. */
const PLAIN_FIELDS = {
  name: 'name',
  description: 'description',
  output_description: 'outputDescription',
  estimated_minutes: 'estimatedMinutes',
  is_active: 'isActive',
  max_concurrent: 'maxConcurrent',
  max_revisions: 'maxRevisions',
  accept_window_seconds: 'acceptWindowSeconds',
  auto_complete_seconds: 'autoCompleteSeconds',
} as const satisfies Partial<Record<keyof UpdateServiceInput, keyof Service>>;
type PlainField = keyof typeof PLAIN_FIELDS;
type PlainProperty = (typeof PLAIN_FIELDS)[PlainField];

/**
 * Applies an owner's patch to a service and returns what actually changed,
 * in API field names (empty when nothing did). A price in the other
 * currency switches the service to that currency.
 */
export function applyServicePatch(service: Service, patch: UpdateServiceInput): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const fields = service as Record<PlainProperty, unknown>;
  for (const field of Object.keys(PLAIN_FIELDS) as PlainField[]) {
    const property = PLAIN_FIELDS[field];
    const value = patch[field];
    if (value === undefined || value === (fields[property] ?? null)) continue;
    fields[property] = value;
    changes[field] = value;
  }
  // A schema is an object: compared by its serialization, so sending the same one again changes nothing.
  if (patch.input_schema !== undefined && JSON.stringify(patch.input_schema) !== JSON.stringify(service.inputSchema ?? null)) {
    service.inputSchema = patch.input_schema;
    changes.input_schema = patch.input_schema;
  }
  if (patch.price_usd !== undefined && (service.currency !== 'USD' || service.priceCents !== patch.price_usd)) {
    if (service.currency !== 'USD') Object.assign(changes, { currency: 'USD', price_sats: null });
    service.currency = 'USD';
    service.priceCents = patch.price_usd;
    service.priceSats = null;
    changes.price_usd = centsToUsd(patch.price_usd);
  }
  if (patch.price_sats !== undefined && (service.currency !== 'SAT' || service.priceSats !== patch.price_sats)) {
    if (service.currency !== 'SAT') Object.assign(changes, { currency: 'SAT', price_usd: null });
    service.currency = 'SAT';
    service.priceSats = patch.price_sats;
    service.priceCents = null;
    changes.price_sats = patch.price_sats;
  }
  return changes;
}
