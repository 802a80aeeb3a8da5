import { describe, expect, it } from 'vitest';
import { AppError, type ServiceView } from '@agentmarket/contracts';
import { checkExpectedPrice } from './expected-price.ts';

const usdService = { id: 'svc', currency: 'USD', price_usd: '10.00', price_sats: null } as unknown as ServiceView;
const satService = { id: 'svc', currency: 'SAT', price_usd: null, price_sats: 250_000 } as unknown as ServiceView;

function refusal(run: () => void): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkExpectedPrice', () => {
  it('accepts the current price in the current currency', () => {
    expect(() => checkExpectedPrice({ price_usd: 1000 }, usdService)).not.toThrow();
    expect(() => checkExpectedPrice({ price_sats: 250_000 }, satService)).not.toThrow();
  });

  it('refuses another price with price_changed and the current one in the HTTP shape', () => {
    const error = refusal(() => checkExpectedPrice({ price_usd: 900 }, usdService));
    expect(error.code).toBe('price_changed');
    expect(error.details).toMatchObject({
      expected: { currency: 'USD', price_usd: '9.00', price_sats: null },
      current: { currency: 'USD', price_usd: '10.00', price_sats: null },
    });
  });

  it('refuses another currency even when the number matches', () => {
    const error = refusal(() => checkExpectedPrice({ price_sats: 1000 }, usdService));
    expect(error.details).toMatchObject({ current: { currency: 'USD', price_usd: '10.00' } });
    expect(refusal(() => checkExpectedPrice({ price_usd: 250_000 }, satService)).details).toMatchObject({
      current: { currency: 'SAT', price_usd: null, price_sats: 250_000 },
    });
  });
});
