import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121040000_ledger } from './Migration20261121040000_ledger.ts';

/** This schema's migrations, oldest first. */
export const paymentsMigrations: MigrationObject[] = [{ name: 'Migration20261121040000_ledger', class: Migration20261121040000_ledger }];
