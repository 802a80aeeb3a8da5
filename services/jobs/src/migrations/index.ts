import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121010000_jobs } from './Migration20261121010000_jobs.ts';

/** This schema's migrations, oldest first. */
export const jobsMigrations: MigrationObject[] = [{ name: 'Migration20261121010000_jobs', class: Migration20261121010000_jobs }];
