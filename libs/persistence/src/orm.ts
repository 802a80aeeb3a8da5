import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { nameHotStatements } from './prepared-statements.ts';

export interface OrmSettings {
  databaseUrl: string;
  /** The Postgres schema this service owns; no service touches another's. */
  schema: string;
  entities: EntitySchema[];
  /** This service's migrations, oldest first. */
  migrations: MigrationObject[];
  poolSize?: number;
  /** Logs every SQL statement when set. */
  debug?: boolean;
}

/** MikroORM for one service schema, with that schema's migrations registered. */
export function ormOptions(settings: OrmSettings): Options {
  return {
    clientUrl: settings.databaseUrl,
    // The ORM reads only host, port, user, password and database from clientUrl; the pg driver reads the whole
    // URL, so `?sslmode=verify-full` (and `sslrootcert`) in DATABASE_URL take effect.
    // onPoolCreated: the hot paths' statements run as named prepared statements on every connection (prepared-statements.ts).
    driverOptions: { connectionString: settings.databaseUrl, onPoolCreated: nameHotStatements },
    schema: settings.schema,
    entities: settings.entities,
    extensions: [Migrator],
    pool: { min: 0, max: settings.poolSize ?? 10 },
    debug: settings.debug ?? false,
    // Entities are defined with defineEntity: no reflection, no decorators.
    discovery: { warnWhenNoEntities: false },
    migrations: {
      migrationsList: settings.migrations,
      schema: settings.schema,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  };
}

export async function openOrm(settings: OrmSettings): Promise<MikroORM> {
  return MikroORM.init(ormOptions(settings));
}
