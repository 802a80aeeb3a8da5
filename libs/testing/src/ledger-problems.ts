import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '@agentmarket/persistence';
import { checkLedger } from '@agentmarket/payments/ledger-check';
import { paymentsModule } from '@agentmarket/payments/module';

/**
 * What the operators' ledger check finds wrong in a test stack's database
 * (nothing, when every transfer balances), for the tests of any service
 * whose flows move money. Opens its own connection and closes it.
 */
export async function ledgerProblemsIn(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init({
    ...ormOptions({ databaseUrl, schema: paymentsModule.schema, entities: [], migrations: [], poolSize: 1 }),
    ensureDatabase: false,
  });
  try {
    return await checkLedger(orm.em.fork());
  } finally {
    await orm.close();
  }
}
