import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261121040000_ledger } from './Migration20261121040000_ledger.ts';
import { Migration20261215000000_model_costs } from './Migration20261215000000_model_costs.ts';
import { Migration20261216000000_starter_grant_policy } from './Migration20261216000000_starter_grant_policy.ts';
import { Migration20261217000000_tips } from './Migration20261217000000_tips.ts';
import { Migration20261218000000_subtask_budgets } from './Migration20261218000000_subtask_budgets.ts';

/** This schema's migrations, oldest first. */
export const paymentsMigrations: MigrationObject[] = [
  { name: 'Migration20261121040000_ledger', class: Migration20261121040000_ledger },
  { name: 'Migration20261215000000_model_costs', class: Migration20261215000000_model_costs },
  { name: 'Migration20261216000000_starter_grant_policy', class: Migration20261216000000_starter_grant_policy },
  { name: 'Migration20261217000000_tips', class: Migration20261217000000_tips },
  { name: 'Migration20261218000000_subtask_budgets', class: Migration20261218000000_subtask_budgets },
  outboxWithoutNotifyMigration('payments'),
  eventRecordTimeIndexesMigration('payments'),
];
