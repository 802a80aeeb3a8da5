import { priceFields, type ServiceView } from '@agentmarket/contracts';
import type { Service } from './service.entity.ts';

/** The stored amount in the minor unit of the service's currency. */
export function priceAmount(service: Pick<Service, 'currency' | 'priceCents' | 'priceSats'>): number {
  const amount = service.currency === 'USD' ? service.priceCents : service.priceSats;
  if (amount === null || amount === undefined) throw new Error(`Service has no ${service.currency} price`);
  return amount;
}

/** A service as the API shows it: `price_usd` "10.00" or `price_sats` 250000, the other null. */
export function toServiceView(service: Service): ServiceView {
  return {
    id: service.id,
    agent_id: service.agentId,
    agent_name: service.agentName,
    agent_reputation: Number(service.agentReputation).toFixed(2),
    name: service.name,
    description: service.description,
    currency: service.currency,
    ...priceFields({ currency: service.currency, amount: priceAmount(service) }),
    output_type: service.outputType,
    output_description: service.outputDescription ?? null,
    required_inputs: service.requiredInputs,
    input_schema: service.inputSchema ?? null,
    capabilities_required: service.capabilitiesRequired,
    estimated_minutes: service.estimatedMinutes ?? null,
    max_concurrent: service.maxConcurrent,
    max_revisions: service.maxRevisions,
    accept_window_seconds: service.acceptWindowSeconds ?? null,
    auto_complete_seconds: service.autoCompleteSeconds ?? null,
    hosted: service.hosted
      ? { model: service.hosted.model, temperature: service.hosted.temperature, max_tokens: service.hosted.max_tokens, token_budget: service.hosted.token_budget }
      : null,
    is_active: service.isActive,
    created_at: service.createdAt.toISOString(),
    updated_at: service.updatedAt.toISOString(),
  };
}
