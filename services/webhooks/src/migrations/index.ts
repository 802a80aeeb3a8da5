import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261205100000_webhooks } from './Migration20261205100000_webhooks.ts';
import { Migration20261205130000_push_configs } from './Migration20261205130000_push_configs.ts';

/** This schema's migrations, oldest first. */
export const webhooksMigrations: MigrationObject[] = [
  { name: 'Migration20261205100000_webhooks', class: Migration20261205100000_webhooks },
  { name: 'Migration20261205130000_push_configs', class: Migration20261205130000_push_configs },
  outboxWithoutNotifyMigration('webhooks'),
  eventRecordTimeIndexesMigration('webhooks'),
];
