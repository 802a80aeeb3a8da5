import { AppError, SUBJECTS, centsToUsd, type HostedConfig, type HostedQuote } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';

/**
 * The executor's word on a hosted configuration at a price. The executor
 * owns the model prices, the operator's allow-list and the token budget
 * maximum, so the catalog asks it (`executor.hosted.quote`, answered even
 * without a model key) instead of keeping a copy of those settings.
 */
export class HostedQuotes {
  private readonly bus: BusClient;

  constructor(bus: BusClient) {
    this.bus = bus;
  }

  /**
   * Refuses (400 `validation_failed`) a hosted service that is not priced in
   * USD, names a model off the list or a budget over the maximum, or whose
   * price cannot cover its worst-case model cost plus the platform fee —
   * with the figures in the details.
   */
  async requireCovered(hosted: HostedConfig, priceUsdCents: number | null): Promise<HostedQuote> {
    if (priceUsdCents === null) {
      throw new AppError('validation_failed', 'A hosted service is priced in USD: its model cost is paid in USD', {
        price_sats: 'a hosted service takes price_usd',
      });
    }
    const quote = await this.bus.request<HostedQuote>(SUBJECTS.executor.quote, {
      model: hosted.model,
      token_budget: hosted.token_budget,
      price_usd_cents: priceUsdCents,
    });
    if (!quote.covered) {
      throw new AppError(
        'validation_failed',
        `A price of ${centsToUsd(priceUsdCents)} USD cannot pay the platform fee and this service's worst-case model cost; the least it can be is ${centsToUsd(quote.min_price_cents)} USD`,
        {
          price_usd: `at least ${centsToUsd(quote.min_price_cents)} for this model and token_budget`,
          price: centsToUsd(priceUsdCents),
          max_model_cost_usd: quote.max_model_cost_usd,
          platform_fee_usd: centsToUsd(quote.platform_fee_cents),
          min_price_usd: centsToUsd(quote.min_price_cents),
          model: quote.model,
          token_budget: quote.token_budget,
        },
      );
    }
    return quote;
  }
}
