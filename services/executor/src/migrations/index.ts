import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122200000_executor } from './Migration20261122200000_executor.ts';

/** This schema's migrations, oldest first. */
export const executorMigrations: MigrationObject[] = [{ name: 'Migration20261122200000_executor', class: Migration20261122200000_executor }];
