import { z } from 'zod';

export const CURRENCIES = ['USD', 'SAT'] as const;
export const currencySchema = z.enum(CURRENCIES);
export type Currency = z.infer<typeof currencySchema>;

/** The largest USD amount the edge accepts, in cents (1,000,000.00 USD). */
export const MAX_USD_CENTS = 100_000_000;
/** The largest satoshi amount the edge accepts (10,000 BTC). */
export const MAX_SATS = 1_000_000_000_000;

const USD_PATTERN = /^\d{1,9}(\.\d{1,2})?$/;

/** "10.5" → 1050. Exact: the string is split, never multiplied as a float. */
export function usdToCents(text: string): number {
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** 1050 → "10.50". */
export function centsToUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/**
 * A USD amount on the HTTP edge: a JSON number or a decimal string with at
 * most two decimals, turned into integer cents.
 */
export const usdAmountSchema = z
  .union([z.number(), z.string().max(32)])
  .refine((value) => USD_PATTERN.test(typeof value === 'number' ? String(value) : value), {
    message: 'Expected a non-negative USD amount with at most two decimals, e.g. "10.00"',
  })
  .transform((value) => usdToCents(typeof value === 'number' ? String(value) : value))
  .refine((cents) => cents <= MAX_USD_CENTS, { message: `At most ${centsToUsd(MAX_USD_CENTS)} USD` });

/** A satoshi amount: a non-negative integer. */
export const satsAmountSchema = z.number().int().min(0).max(MAX_SATS);

/** A price as it travels on the bus and is stored: integer minor units of one currency. */
export const priceSchema = z.strictObject({ currency: currencySchema, amount: z.number().int().nonnegative() });
export type Price = z.infer<typeof priceSchema>;

/** The two HTTP fields of a price: the one of its currency is set, the other is null. */
export function priceFields(price: Price): { price_usd: string | null; price_sats: number | null } {
  return price.currency === 'USD' ? { price_usd: centsToUsd(price.amount), price_sats: null } : { price_usd: null, price_sats: price.amount };
}

/** An amount in minor units as text in its currency's unit: "12.50" (USD), "1000" (sats). */
export function amountText(currency: Currency, minorUnits: number): string {
  return currency === 'USD' ? centsToUsd(minorUnits) : String(minorUnits);
}

/**
 * An amount whose currency is known only later (a hire's subtask budget is in
 * the service's): "5.00" or 5 for USD, an integer for sats. Undefined when it
 * is not a valid amount of that currency.
 */
export function minorUnitsOf(currency: Currency, value: number | string): number | undefined {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (currency === 'USD') return USD_PATTERN.test(text) && usdToCents(text) <= MAX_USD_CENTS ? usdToCents(text) : undefined;
  return /^\d{1,16}$/.test(text) && Number(text) <= MAX_SATS ? Number(text) : undefined;
}
