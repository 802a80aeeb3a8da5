import { AppError, priceFields, usdToCents, type ExpectedPrice, type ServiceView } from '@agentmarket/contracts';

/**
 * Refuses a hire whose buyer saw another price or currency than the service
 * asks now (it changed between the look and the hire), with the current one
 * in `details.current`, so nothing is held at a price the buyer did not agree to.
 */
export function checkExpectedPrice(expected: ExpectedPrice, service: ServiceView): void {
  const current = { currency: service.currency, amount: service.currency === 'USD' ? usdToCents(service.price_usd ?? '0') : (service.price_sats ?? 0) };
  const [currency, amount] = 'price_usd' in expected ? (['USD', expected.price_usd] as const) : (['SAT', expected.price_sats] as const);
  if (currency === current.currency && amount === current.amount) return;
  throw new AppError('price_changed', "The service's price is not the one you expected; look at the current price and hire again", {
    service_id: service.id,
    expected: { currency, ...priceFields({ currency, amount }) },
    current: { currency: current.currency, ...priceFields(current) },
  });
}
