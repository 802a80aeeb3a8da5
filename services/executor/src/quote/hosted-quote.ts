import { AppError, type HostedQuote, type HostedQuoteCommand } from '@agentmarket/contracts';
import { maxJobCostMicro } from '../llm/cost.ts';
import type { HostedModels } from '../llm/hosted-models.ts';
import { microToUsd } from '../llm/usd-amount.ts';

export interface QuotePolicy {
  models: HostedModels;
  maxTokenBudget: number;
  /** The platform fee as payments takes it: bps of the worker's part, at least minFeeCents, at most the part. */
  feeBps: number;
  minFeeCents: number;
}

/** The fee payments will take from a paid USD job of `priceCents` (the same rule as its settlement math). */
export function platformFeeCents(priceCents: number, policy: Pick<QuotePolicy, 'feeBps' | 'minFeeCents'>): number {
  if (priceCents === 0) return 0;
  const proportional = Math.floor((priceCents * policy.feeBps) / 10_000);
  return Math.min(priceCents, Math.max(proportional, policy.minFeeCents));
}

/** The smallest price whose payout after the fee is at least `costCents`. */
export function minPriceCents(costCents: number, policy: Pick<QuotePolicy, 'feeBps' | 'minFeeCents'>): number {
  if (policy.feeBps >= 10_000) return costCents === 0 ? 0 : Number.MAX_SAFE_INTEGER;
  // payout(p) = p − fee(p) never decreases as p grows: start from the estimate and step up to the first that covers.
  let price = Math.max(costCents, Math.floor((costCents * 10_000) / (10_000 - policy.feeBps)));
  while (price - platformFeeCents(price, policy) < costCents) price += 1;
  return price;
}

/**
 * Checks a hosted configuration against the operator's policy and prices
 * it: a model off the allow-list or a budget over the maximum is
 * `validation_failed` naming the field, with what is allowed in the details.
 */
export function quoteHosted(command: HostedQuoteCommand, policy: QuotePolicy): HostedQuote {
  const prices = policy.models.get(command.model);
  if (!prices) {
    throw new AppError('validation_failed', `The model ${command.model} is not offered for hosted services`, {
      'hosted.model': `not on the operator's list of hosted models`,
      allowed_models: [...policy.models.keys()],
    });
  }
  if (command.token_budget > policy.maxTokenBudget) {
    throw new AppError('validation_failed', `token_budget may be at most ${policy.maxTokenBudget}`, {
      'hosted.token_budget': `at most ${policy.maxTokenBudget}`,
      max_token_budget: policy.maxTokenBudget,
    });
  }
  const maxMicro = maxJobCostMicro(command.token_budget, prices);
  const maxCents = Number((maxMicro + 9_999n) / 10_000n);
  const fee = platformFeeCents(command.price_usd_cents, policy);
  return {
    model: command.model,
    token_budget: command.token_budget,
    max_model_cost_usd: microToUsd(Number(maxMicro)),
    max_model_cost_cents: maxCents,
    platform_fee_cents: fee,
    min_price_cents: minPriceCents(maxCents, policy),
    covered: command.price_usd_cents - fee >= maxCents,
  };
}
