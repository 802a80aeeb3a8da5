import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261205100000_webhooks } from './Migration20261205100000_webhooks.ts';

/** This schema's migrations, oldest first. */
export const webhooksMigrations: MigrationObject[] = [{ name: 'Migration20261205100000_webhooks', class: Migration20261205100000_webhooks }];
