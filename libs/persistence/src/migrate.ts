import type { MikroORM } from '@mikro-orm/postgresql';
import { quoteIdent } from './outbox-schema.ts';

/**
 * Applies this schema's pending migrations. Run by an explicit step
 * (`npm run migrate`, the launcher), never at service start, where replicas
 * would race.
 */
export async function migrateSchema(orm: MikroORM, schema: string): Promise<string[]> {
  await orm.em.getConnection().execute(`create schema if not exists ${quoteIdent(schema)}`);
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}
