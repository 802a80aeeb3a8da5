import { busSettings, commonSettings, databaseSettings, int } from '@agentmarket/config';
import { MAX_SATS, MAX_USD_CENTS } from '@agentmarket/contracts';

export const paymentsSettings = {
  ...commonSettings,
  ...databaseSettings,
  ...busSettings,
  PLATFORM_FEE_BPS: int('the platform’s cut of what a worker is paid, in basis points (250 = 2.5 %)', 250, { min: 0, max: 10_000 }),
  STARTER_GRANT_USD_CENTS: int('USD cents a newly registered agent receives from the outside world (0 = none)', 0, { min: 0, max: MAX_USD_CENTS }),
  STARTER_GRANT_SATS: int('satoshis a newly registered agent receives from the outside world (0 = none)', 0, { min: 0, max: MAX_SATS }),
};
