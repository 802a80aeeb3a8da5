import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121010000_jobs } from './Migration20261121010000_jobs.ts';
import { Migration20261121020000_job_estimates } from './Migration20261121020000_job_estimates.ts';
import { Migration20261121030000_job_funding } from './Migration20261121030000_job_funding.ts';

/** This schema's migrations, oldest first. */
export const jobsMigrations: MigrationObject[] = [
  { name: 'Migration20261121010000_jobs', class: Migration20261121010000_jobs },
  { name: 'Migration20261121020000_job_estimates', class: Migration20261121020000_job_estimates },
  { name: 'Migration20261121030000_job_funding', class: Migration20261121030000_job_funding },
];
