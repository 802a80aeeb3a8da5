export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface TokenPrices {
  /** USD per 1000 prompt tokens, a decimal string. */
  promptPer1k: string;
  /** USD per 1000 completion tokens, a decimal string. */
  completionPer1k: string;
}

const PRICE_DECIMALS = 12;
// A price in 1e-12 USD per 1000 tokens times a token count is in 1e-15 USD: 1e9 of those make one micro-dollar.
const PICO_PER_1K_TO_MICRO = 10n ** 9n;

/** The USD cost of one call, exact to the micro-dollar (half up), as "0.000000". */
export function costUsd(usage: Pick<TokenUsage, 'prompt_tokens' | 'completion_tokens'>, prices: TokenPrices): string {
  const micro = costMicro(usage, prices);
  const whole = micro / 1_000_000n;
  const fraction = (micro % 1_000_000n).toString().padStart(6, '0');
  return `${whole}.${fraction}`;
}

/** The same cost in micro-USD (half up). */
export function costMicro(usage: Pick<TokenUsage, 'prompt_tokens' | 'completion_tokens'>, prices: TokenPrices): bigint {
  const scaled = BigInt(usage.prompt_tokens) * picoPer1k(prices.promptPer1k) + BigInt(usage.completion_tokens) * picoPer1k(prices.completionPer1k);
  return (scaled + PICO_PER_1K_TO_MICRO / 2n) / PICO_PER_1K_TO_MICRO;
}

/**
 * The most one job can cost: every token of its budget at the model's dearer
 * price (in practice: all completion tokens), in micro-USD, rounded up.
 */
export function maxJobCostMicro(tokenBudget: number, prices: TokenPrices): bigint {
  const dearer = picoPer1k(prices.promptPer1k) > picoPer1k(prices.completionPer1k) ? prices.promptPer1k : prices.completionPer1k;
  const scaled = BigInt(tokenBudget) * picoPer1k(dearer);
  return (scaled + PICO_PER_1K_TO_MICRO - 1n) / PICO_PER_1K_TO_MICRO;
}

/** "0.0015" → 1_500_000_000n (units of 1e-12 USD). */
function picoPer1k(price: string): bigint {
  const [whole = '0', fraction = ''] = price.trim().split('.');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction) || fraction.length > PRICE_DECIMALS) throw new Error(`not a USD price: ${price}`);
  return BigInt(whole) * 10n ** BigInt(PRICE_DECIMALS) + BigInt(fraction.padEnd(PRICE_DECIMALS, '0') || '0');
}
