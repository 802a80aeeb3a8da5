import type { EntityManager } from '@mikro-orm/postgresql';
import { PAYMENTS_SCHEMA } from '../schema.ts';

/** The names of the payments migrations this database applied, read without the migrator (which would create its table): none when it has no table yet. */
export async function appliedMigrationNames(em: EntityManager): Promise<string[]> {
  const [table] = await em.execute<{ name: string | null }[]>(`select to_regclass('${PAYMENTS_SCHEMA}.mikro_orm_migrations')::text as name`, [], 'all');
  const applied = table?.name ? await em.execute<{ name: string }[]>(`select name from ${PAYMENTS_SCHEMA}.mikro_orm_migrations`, [], 'all') : [];
  return applied.map((row) => row.name);
}
