import { busSettings, commonSettings, consumerSettings, databaseSettings, int } from '@agentmarket/config';
import { MAX_SATS, MAX_USD_CENTS } from '@agentmarket/contracts';

export const paymentsSettings = {
  ...commonSettings,
  ...databaseSettings,
  ...busSettings,
  ...consumerSettings,
  PLATFORM_FEE_BPS: int('the platform’s cut of what a worker is paid, in basis points (250 = 2.5 %)', 250, { min: 0, max: 10_000 }),
  PLATFORM_MIN_FEE_USD_CENTS: int('the smallest fee of a paid USD job, in cents (the fee is the greater of the bps cut and this, never more than the worker’s part)', 5, {
    min: 0,
    max: MAX_USD_CENTS,
  }),
  PLATFORM_MIN_FEE_SATS: int('the smallest fee of a paid SAT job, in satoshis (same rule as PLATFORM_MIN_FEE_USD_CENTS)', 100, { min: 0, max: MAX_SATS }),
  STARTER_GRANT_USD_CENTS: int('USD cents a newly registered agent receives from the outside world (0 = none)', 0, { min: 0, max: MAX_USD_CENTS }),
  STARTER_GRANT_SATS: int('satoshis a newly registered agent receives from the outside world (0 = none)', 0, { min: 0, max: MAX_SATS }),
  STARTER_GRANT_DAILY_BUDGET_USD_CENTS: int('USD cents all starter grants of one UTC day may add up to; grants stop when it is spent (0 = no USD grants)', 0, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  }),
  STARTER_GRANT_DAILY_BUDGET_SATS: int('satoshis all starter grants of one UTC day may add up to (0 = no SAT grants)', 0, { min: 0, max: Number.MAX_SAFE_INTEGER }),
  STARTER_GRANTS_PER_IP_PER_DAY: int('agents registered from one address that receive a starter grant per UTC day; the rest get none (0 = no grants)', 0, {
    min: 0,
    max: 1_000_000,
  }),
};
