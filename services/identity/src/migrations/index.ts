import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121000000_agents } from './Migration20261121000000_agents.ts';

/** This schema's migrations, oldest first. */
export const identityMigrations: MigrationObject[] = [
  { name: 'Migration20261121000000_agents', class: Migration20261121000000_agents },
];
