import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261122000000_services } from './Migration20261122000000_services.ts';
import { Migration20261122010000_hosted_services } from './Migration20261122010000_hosted_services.ts';
import { Migration20261204000000_idempotency_keys } from './Migration20261204000000_idempotency_keys.ts';
import { Migration20261205000000_suspension } from './Migration20261205000000_suspension.ts';
import { Migration20261206000000_reputation_projection } from './Migration20261206000000_reputation_projection.ts';
import { Migration20261207010000_input_schema } from './Migration20261207010000_input_schema.ts';

/** This schema's migrations, oldest first. */
export const catalogMigrations: MigrationObject[] = [
  { name: 'Migration20261122000000_services', class: Migration20261122000000_services },
  { name: 'Migration20261122010000_hosted_services', class: Migration20261122010000_hosted_services },
  { name: 'Migration20261204000000_idempotency_keys', class: Migration20261204000000_idempotency_keys },
  { name: 'Migration20261205000000_suspension', class: Migration20261205000000_suspension },
  { name: 'Migration20261206000000_reputation_projection', class: Migration20261206000000_reputation_projection },
  { name: 'Migration20261207010000_input_schema', class: Migration20261207010000_input_schema },
  outboxWithoutNotifyMigration('catalog'),
  eventRecordTimeIndexesMigration('catalog'),
];
