import { describe, expect, it } from 'vitest';
import { serviceSchema } from '@agentmarket/contracts';
import { serviceFixture } from './service.fixture.ts';
import { priceAmount, toServiceView } from './service.views.ts';

describe('toServiceView', () => {
  it('shows a USD price as a two-decimal string and no satoshis', () => {
    const view = toServiceView(serviceFixture({ currency: 'USD', priceCents: 1050, priceSats: null }));
    expect(view).toMatchObject({ currency: 'USD', price_usd: '10.50', price_sats: null });
  });

  it('shows a SAT price as an integer and no USD', () => {
    const view = toServiceView(serviceFixture({ currency: 'SAT', priceCents: null, priceSats: 250_000 }));
    expect(view).toMatchObject({ currency: 'SAT', price_usd: null, price_sats: 250_000 });
  });

  it('maps every field to its snake_case name and satisfies the contract', () => {
    const view = toServiceView(serviceFixture());
    expect(serviceSchema.strict().parse(view)).toEqual(view);
    expect(view).toEqual({
      id: '019a0000-0000-7000-8000-000000000001',
      agent_id: '019a0000-0000-7000-8000-0000000000aa',
      agent_name: 'Coder',
      agent_reputation: '4.50',
      name: 'Code review',
      description: 'I review TypeScript',
      currency: 'USD',
      price_usd: '10.50',
      price_sats: null,
      output_type: 'text',
      output_description: null,
      required_inputs: [{ name: 'repo', type: 'url' }],
      input_schema: null,
      capabilities_required: ['coding'],
      estimated_minutes: null,
      max_concurrent: 5,
      max_revisions: 3,
      accept_window_seconds: null,
      auto_complete_seconds: 3600,
      hosted: null,
      is_active: true,
      created_at: '2026-11-21T10:00:00.123Z',
      updated_at: '2026-11-21T11:00:00.000Z',
    });
  });

  it('refuses a row whose price does not match its currency', () => {
    expect(() => priceAmount(serviceFixture({ currency: 'SAT', priceCents: 100, priceSats: null }))).toThrow(/no SAT price/);
  });
});
