import type { MikroORM } from '@mikro-orm/postgresql';
import type { SettingsOf } from '@agentmarket/config';
import type { ServiceModule } from '@agentmarket/messaging';
import type { paymentsSettings } from './config.ts';
import { escrowHandlers } from './escrow/escrow.handlers.ts';
import { EscrowService } from './escrow/escrow.service.ts';
import { jobSettlementConsumer } from './escrow/job-settlement.consumer.ts';
import { AccountDirectory } from './ledger/account-directory.ts';
import { paymentsMigrations } from './migrations/index.ts';
import { PaymentStatsService } from './stats/payment-stats.service.ts';
import { statsHandlers } from './stats/stats.handlers.ts';
import { starterGrantsConsumer } from './wallet/starter-grants.consumer.ts';
import { walletHandlers } from './wallet/wallet.handlers.ts';
import { WalletService } from './wallet/wallet.service.ts';
import { PAYMENTS_SCHEMA } from './schema.ts';
import { tipHandlers } from './tips/tips.handlers.ts';
import { TipTransfers } from './tips/tip-transfers.service.ts';

export type PaymentsSettings = Pick<SettingsOf<typeof paymentsSettings>, 'PLATFORM_FEE_BPS' | 'STARTER_GRANT_USD_CENTS' | 'STARTER_GRANT_SATS'> &
  Partial<Pick<SettingsOf<typeof paymentsSettings>, 'PLATFORM_MIN_FEE_USD_CENTS' | 'PLATFORM_MIN_FEE_SATS'>> &
  Partial<Pick<SettingsOf<typeof paymentsSettings>, 'STARTER_GRANT_DAILY_BUDGET_USD_CENTS' | 'STARTER_GRANT_DAILY_BUDGET_SATS' | 'STARTER_GRANTS_PER_IP_PER_DAY'>>;

// The ledger is written with explicit SQL (insert … on conflict, ordered balance updates): no entities to map.
const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'payments',
  schema: PAYMENTS_SCHEMA,
  entities: [],
  migrations: paymentsMigrations,
};

/** Payments owns the double-entry ledger: accounts, immutable transfers, escrow holds and their settlements (schema `payments`). */
export function createPaymentsModule(settings: PaymentsSettings): ServiceModule {
  // One directory per process: the request handlers and the consumers share its cache of account ids.
  const accounts = new AccountDirectory();
  const minFee = { USD: settings.PLATFORM_MIN_FEE_USD_CENTS ?? 0, SAT: settings.PLATFORM_MIN_FEE_SATS ?? 0 };
  const escrowOf = (orm: MikroORM) => new EscrowService(orm, { accounts, feeBps: settings.PLATFORM_FEE_BPS, minFee });
  return {
    ...SCHEMA_PARTS,
    requestHandlers: ({ orm }) => ({
      ...escrowHandlers(escrowOf(orm)),
      ...walletHandlers(new WalletService(orm, accounts)),
      ...statsHandlers(new PaymentStatsService(orm)),
      ...tipHandlers(new TipTransfers(orm, accounts, { feeBps: settings.PLATFORM_FEE_BPS, minFee })),
    }),
    consumers: ({ orm }) => [
      jobSettlementConsumer(orm, escrowOf(orm)),
      starterGrantsConsumer(orm, accounts, {
        amount: { USD: settings.STARTER_GRANT_USD_CENTS, SAT: settings.STARTER_GRANT_SATS },
        dailyBudget: { USD: settings.STARTER_GRANT_DAILY_BUDGET_USD_CENTS ?? 0, SAT: settings.STARTER_GRANT_DAILY_BUDGET_SATS ?? 0 },
        perIpPerDay: settings.STARTER_GRANTS_PER_IP_PER_DAY ?? 0,
      }),
    ],
  };
}

/** The schema half of the module (name, entities, migrations) for the migration runner and tooling. */
export const paymentsModule: ServiceModule = { ...SCHEMA_PARTS, requestHandlers: () => ({}) };
