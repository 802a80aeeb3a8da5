import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261121100000_messaging } from './Migration20261121100000_messaging.ts';
import { Migration20261204000000_idempotency_keys } from './Migration20261204000000_idempotency_keys.ts';

/** This schema's migrations, oldest first. */
export const messagingMigrations: MigrationObject[] = [
  { name: 'Migration20261121100000_messaging', class: Migration20261121100000_messaging },
  { name: 'Migration20261204000000_idempotency_keys', class: Migration20261204000000_idempotency_keys },
  outboxWithoutNotifyMigration('messaging'),
  eventRecordTimeIndexesMigration('messaging'),
];
