import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { databaseSettings, loadSettings } from '@agentmarket/config';
import { ormOptions } from '@agentmarket/persistence';
import { paymentsModule } from '../payments.module.ts';
import { checkLedger } from './check-ledger.ts';
import { ledgerFigures } from './ledger-figures.ts';
import { appliedMigrationNames } from './migrations.repository.ts';

// `npm run ledger:check`: verifies the ledger of the database at DATABASE_URL; exit code 1 when anything is wrong.
// It only reads: no database is created and no migration table touched.
const settings = loadSettings({ DATABASE_URL: databaseSettings.DATABASE_URL });

/** The payments migrations this database has not applied. */
async function pendingMigrations(em: EntityManager): Promise<string[]> {
  const names = new Set(await appliedMigrationNames(em));
  return paymentsModule.migrations.map((migration) => migration.name).filter((name) => !names.has(name));
}

let orm: MikroORM | undefined;
try {
  orm = await MikroORM.init({
    ...ormOptions({ databaseUrl: settings.DATABASE_URL, schema: paymentsModule.schema, entities: paymentsModule.entities, migrations: [], poolSize: 1 }),
    ensureDatabase: false,
  });
  const em = orm.em.fork();
  const pending = await pendingMigrations(em);
  const problems = pending.length > 0 ? [`the payments schema lacks ${pending.length} migration(s) (${pending.join(', ')}): run \`npm run migrate\` first`] : await checkLedger(em);
  if (problems.length === 0) {
    console.log(`ledger OK: ${await ledgerFigures(em)}`);
  } else {
    console.log(`ledger has ${problems.length} problem(s):`);
    for (const problem of problems) console.log(`  - ${problem}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`ledger check failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await orm?.close();
}
