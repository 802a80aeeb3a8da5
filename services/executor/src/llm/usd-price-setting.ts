import type { Setting } from '@agentmarket/config';

/** A non-negative decimal string (at most 12 decimals) kept as text, so cost arithmetic stays exact. */
export const USD_PRICE_PATTERN = /^\d{1,9}(\.\d{1,12})?$/;

/** A price setting such as "0.0015" (USD per 1000 tokens). */
export function usdPrice(doc: string): Setting<string> {
  return {
    doc,
    default: '0',
    parse: (raw) => {
      const value = raw.trim();
      if (!USD_PRICE_PATTERN.test(value)) throw new Error('must be a decimal number of USD such as 0.0015 (at most 12 decimals)');
      return value;
    },
  };
}
