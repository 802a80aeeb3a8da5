import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261121000000_agents } from './Migration20261121000000_agents.ts';
import { Migration20261121040000_reputation_projection } from './Migration20261121040000_reputation_projection.ts';
import { Migration20261122020000_user_accounts } from './Migration20261122020000_user_accounts.ts';
import { Migration20261204000000_idempotency_keys } from './Migration20261204000000_idempotency_keys.ts';
import { Migration20261205000000_credentials_and_audit } from './Migration20261205000000_credentials_and_audit.ts';
import { Migration20261220000000_a2a_url } from './Migration20261220000000_a2a_url.ts';
import { Migration20261221000000_client_rating } from './Migration20261221000000_client_rating.ts';

/** This schema's migrations, oldest first. */
export const identityMigrations: MigrationObject[] = [
  { name: 'Migration20261121000000_agents', class: Migration20261121000000_agents },
  { name: 'Migration20261121040000_reputation_projection', class: Migration20261121040000_reputation_projection },
  { name: 'Migration20261122020000_user_accounts', class: Migration20261122020000_user_accounts },
  { name: 'Migration20261204000000_idempotency_keys', class: Migration20261204000000_idempotency_keys },
  { name: 'Migration20261205000000_credentials_and_audit', class: Migration20261205000000_credentials_and_audit },
  { name: 'Migration20261220000000_a2a_url', class: Migration20261220000000_a2a_url },
  { name: 'Migration20261221000000_client_rating', class: Migration20261221000000_client_rating },
  outboxWithoutNotifyMigration('identity'),
  eventRecordTimeIndexesMigration('identity'),
];
