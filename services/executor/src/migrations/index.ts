import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261122200000_executor } from './Migration20261122200000_executor.ts';
import { Migration20261215100000_seller_spend } from './Migration20261215100000_seller_spend.ts';
import { Migration20261220100000_a2a_tasks } from './Migration20261220100000_a2a_tasks.ts';
import { Migration20261225100000_llm_call_revisions } from './Migration20261225100000_llm_call_revisions.ts';

/** This schema's migrations, oldest first. */
export const executorMigrations: MigrationObject[] = [
  { name: 'Migration20261122200000_executor', class: Migration20261122200000_executor },
  { name: 'Migration20261215100000_seller_spend', class: Migration20261215100000_seller_spend },
  { name: 'Migration20261220100000_a2a_tasks', class: Migration20261220100000_a2a_tasks },
  { name: 'Migration20261225100000_llm_call_revisions', class: Migration20261225100000_llm_call_revisions },
  outboxWithoutNotifyMigration('executor'),
  eventRecordTimeIndexesMigration('executor'),
];
