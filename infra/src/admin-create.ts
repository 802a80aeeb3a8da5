import { parseArgs } from 'node:util';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { emailSchema, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@agentmarket/auth';
import { databaseSettings, loadSettings } from '@agentmarket/config';
import { ormOptions } from '@agentmarket/persistence';
import { AdminAccounts, identityModule } from '@agentmarket/identity/module';

// `node infra/src/admin-create.ts --email a@b.c --password '…'`: creates an admin, or promotes an existing user
// (always setting a new password: the old one may be known to others), in the identity schema at DATABASE_URL.

const USAGE = `usage: admin-create --email <email> [--password <password>]
  ADMIN_EMAIL / ADMIN_PASSWORD may be given instead (better for the password: arguments show up in ps).
  A new admin needs a password (${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters), and so does promoting an existing
  user (its password is replaced: never promoted with a password someone else may know); an existing admin's password
  is replaced only when one is given. DATABASE_URL says which database.`;

function fail(message: string, exitCode: number): never {
  console.error(message);
  process.exit(exitCode);
}

/** The identity migrations this database has not applied, read without the migrator (which would create its table). */
async function pendingMigrations(em: EntityManager): Promise<string[]> {
  const [table] = await em.execute<{ name: string | null }[]>(`select to_regclass('identity.mikro_orm_migrations')::text as name`, [], 'all');
  const applied = table?.name ? await em.execute<{ name: string }[]>('select name from identity.mikro_orm_migrations', [], 'all') : [];
  const names = new Set(applied.map((row) => row.name));
  return identityModule.migrations.map((migration) => migration.name).filter((name) => !names.has(name));
}

let args: { email?: string; password?: string; help?: boolean };
try {
  args = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const email = emailSchema.safeParse(args.email ?? process.env.ADMIN_EMAIL ?? '');
if (!email.success) fail(`Give a valid --email (or ADMIN_EMAIL)\n${USAGE}`, 2);
const password = args.password ?? (process.env.ADMIN_PASSWORD || undefined);
if (password !== undefined && (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH)) {
  fail(`The password must have ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`, 2);
}

const { DATABASE_URL } = loadSettings({ DATABASE_URL: databaseSettings.DATABASE_URL });
let orm: MikroORM | undefined;
try {
  orm = await MikroORM.init({
    ...ormOptions({ databaseUrl: DATABASE_URL, schema: identityModule.schema, entities: identityModule.entities, migrations: [], poolSize: 1 }),
    ensureDatabase: false,
  });
  const pending = await pendingMigrations(orm.em.fork());
  if (pending.length > 0) throw new Error(`the identity schema lacks ${pending.length} migration(s) (${pending.join(', ')}): run \`npm run migrate\` first`);
  const { outcome, passwordChanged, account } = await new AdminAccounts(orm).createOrPromoteAdmin(email.data, password);
  const passwordNote = outcome === 'created' ? '' : passwordChanged ? ' (password replaced)' : ' (password unchanged)';
  const what = { created: 'created admin', promoted: 'promoted to admin', already_admin: 'already an admin' }[outcome];
  console.log(`${what}: ${account.email} (user ${account.id})${passwordNote}`);
} catch (error) {
  console.error(`admin-create failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await orm?.close();
}
