import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261122100000_reputation } from './Migration20261122100000_reputation.ts';
import { Migration20261205020000_owner_lineage } from './Migration20261205020000_owner_lineage.ts';
import { Migration20261206010000_client_ratings } from './Migration20261206010000_client_ratings.ts';
import { Migration20261211010000_announcement_pacing } from './Migration20261211010000_announcement_pacing.ts';

/** This schema's migrations, oldest first. */
export const reputationMigrations: MigrationObject[] = [
  { name: 'Migration20261122100000_reputation', class: Migration20261122100000_reputation },
  { name: 'Migration20261205020000_owner_lineage', class: Migration20261205020000_owner_lineage },
  { name: 'Migration20261206010000_client_ratings', class: Migration20261206010000_client_ratings },
  { name: 'Migration20261211010000_announcement_pacing', class: Migration20261211010000_announcement_pacing },
  outboxWithoutNotifyMigration('reputation'),
  eventRecordTimeIndexesMigration('reputation'),
];
