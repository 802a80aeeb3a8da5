import { describe, expect, it } from 'vitest';
import { updateServiceInputSchema } from '@agentmarket/contracts';
import { serviceFixture } from './service.fixture.ts';
import { applyServicePatch } from './service-patch.ts';

const patch = (body: Record<string, unknown>) => updateServiceInputSchema.parse(body);

describe('applyServicePatch', () => {
  it('reports only the fields that change', () => {
    const service = serviceFixture({ name: 'Same', maxConcurrent: 5 });
    expect(applyServicePatch(service, patch({ name: 'Same', max_concurrent: 7, output_description: null }))).toEqual({ max_concurrent: 7 });
    expect(service.maxConcurrent).toBe(7);
  });

  it('reports nothing when nothing changes', () => {
    expect(applyServicePatch(serviceFixture({ isActive: true, priceCents: 1050 }), patch({ is_active: true, price_usd: '10.50' }))).toEqual({});
  });

  it('changes a price within its currency', () => {
    const service = serviceFixture({ currency: 'USD', priceCents: 1050 });
    expect(applyServicePatch(service, patch({ price_usd: 12 }))).toEqual({ price_usd: '12.00' });
    expect(service.priceCents).toBe(1200);
  });

  it('switches the currency when the price comes in the other one', () => {
    const service = serviceFixture({ currency: 'USD', priceCents: 1050, priceSats: null });
    expect(applyServicePatch(service, patch({ price_sats: 3000 }))).toEqual({ currency: 'SAT', price_usd: null, price_sats: 3000 });
    expect(service).toMatchObject({ currency: 'SAT', priceCents: null, priceSats: 3000 });
    expect(applyServicePatch(service, patch({ price_usd: '1.5' }))).toEqual({ currency: 'USD', price_sats: null, price_usd: '1.50' });
    expect(service).toMatchObject({ currency: 'USD', priceCents: 150, priceSats: null });
  });

  it('clears nullable fields with null', () => {
    const service = serviceFixture({ estimatedMinutes: 30, autoCompleteSeconds: 3600 });
    expect(applyServicePatch(service, patch({ estimated_minutes: null, auto_complete_seconds: null }))).toEqual({
      estimated_minutes: null,
      auto_complete_seconds: null,
    });
    expect(service).toMatchObject({ estimatedMinutes: null, autoCompleteSeconds: null });
  });

  it('replaces the input schema only when it differs, and removes it with null', () => {
    const schema = { type: 'object', required: ['repo'] };
    const service = serviceFixture({ inputSchema: null });
    expect(applyServicePatch(service, patch({ input_schema: schema }))).toEqual({ input_schema: schema });
    expect(applyServicePatch(service, patch({ input_schema: { type: 'object', required: ['repo'] } }))).toEqual({});
    expect(applyServicePatch(service, patch({ input_schema: null }))).toEqual({ input_schema: null });
    expect(service.inputSchema).toBeNull();
  });
});
