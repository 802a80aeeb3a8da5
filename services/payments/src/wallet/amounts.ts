import { centsToUsd, type Currency } from '@agentmarket/contracts';

/** An amount as the edge shows it: "10.00" for USD, an integer for SAT. */
export function formatAmount(currency: Currency, minorUnits: number): string | number {
  return currency === 'USD' ? centsToUsd(minorUnits) : minorUnits;
}
