import { describe, expect, it } from 'vitest';
import { AppError } from '@agentmarket/contracts';
import { parseHostedModels } from '../llm/hosted-models.ts';
import { minPriceCents, platformFeeCents, quoteHosted, type QuotePolicy } from './hosted-quote.ts';

const policy: QuotePolicy = {
  models: parseHostedModels('gpt-4o-mini:0.00015:0.0006,pricey:10:20'),
  maxTokenBudget: 8000,
  feeBps: 250,
  minFeeCents: 5,
};

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('quoteHosted', () => {
  it('prices the worst case as every budgeted token at the dearer price, rounded up to the cent', () => {
    // 8000 × 0.0006 / 1000 = 0.0048 USD → 1 cent; fee of 1.00 = max(2, 5) = 5 cents.
    expect(quoteHosted({ model: 'gpt-4o-mini', token_budget: 8000, price_usd_cents: 100 }, policy)).toEqual({
      model: 'gpt-4o-mini',
      token_budget: 8000,
      max_model_cost_usd: '0.004800',
      max_model_cost_cents: 1,
      platform_fee_cents: 5,
      min_price_cents: 6,
      covered: true,
    });
  });

  it('says a price is not covered when price − fee is below the worst-case cost, and names the least price that is', () => {
    // 1000 × 20 / 1000 = 20.00 USD worst case; 20.50 at 2.5 % leaves 19.99, 20.52 leaves 20.01.
    const quote = quoteHosted({ model: 'pricey', token_budget: 1000, price_usd_cents: 2050 }, policy);
    expect(quote).toMatchObject({ max_model_cost_cents: 2000, platform_fee_cents: 51, covered: false });
    expect(quote.min_price_cents - platformFeeCents(quote.min_price_cents, policy)).toBeGreaterThanOrEqual(2000);
    expect(quote.min_price_cents - 1 - platformFeeCents(quote.min_price_cents - 1, policy)).toBeLessThan(2000);
    expect(quoteHosted({ model: 'pricey', token_budget: 1000, price_usd_cents: quote.min_price_cents }, policy).covered).toBe(true);
  });

  it('refuses a model off the list naming hosted.model with the allowed list, and a budget over the maximum', () => {
    const offList = refusal(() => quoteHosted({ model: 'gpt-5-ultra', token_budget: 100, price_usd_cents: 100 }, policy));
    expect(offList.code).toBe('validation_failed');
    expect(offList.details).toMatchObject({ 'hosted.model': expect.any(String), allowed_models: ['gpt-4o-mini', 'pricey'] });
    const tooBig = refusal(() => quoteHosted({ model: 'gpt-4o-mini', token_budget: 8001, price_usd_cents: 100 }, policy));
    expect(tooBig.details).toMatchObject({ 'hosted.token_budget': expect.any(String), max_token_budget: 8000 });
  });

  it('computes fees like payments: the bps cut, at least the minimum, at most the price', () => {
    expect(platformFeeCents(1000, policy)).toBe(25);
    expect(platformFeeCents(100, policy)).toBe(5);
    expect(platformFeeCents(3, policy)).toBe(3);
    expect(platformFeeCents(0, policy)).toBe(0);
    expect(minPriceCents(0, policy)).toBe(0);
  });
});
