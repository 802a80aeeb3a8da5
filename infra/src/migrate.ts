import { openOrm, migrateSchema } from '@agentmarket/persistence';
import type { ServiceModule } from '@agentmarket/messaging';

/** Applies every service's pending migrations, each in its own schema. */
export async function migrateAll(databaseUrl: string, modules: ServiceModule[], log: (line: string) => void = console.log): Promise<void> {
  for (const module of modules) {
    const orm = await openOrm({ databaseUrl, schema: module.schema, entities: module.entities, migrations: module.migrations, poolSize: 1 });
    try {
      const applied = await migrateSchema(orm, module.schema);
      log(applied.length > 0 ? `${module.schema}: applied ${applied.join(', ')}` : `${module.schema}: up to date`);
    } finally {
      await orm.close();
    }
  }
}
