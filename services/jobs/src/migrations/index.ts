import type { MigrationObject } from '@mikro-orm/core';
import { eventRecordTimeIndexesMigration, outboxWithoutNotifyMigration } from '@agentmarket/persistence';
import { Migration20261121010000_jobs } from './Migration20261121010000_jobs.ts';
import { Migration20261121020000_job_estimates } from './Migration20261121020000_job_estimates.ts';
import { Migration20261121030000_job_funding } from './Migration20261121030000_job_funding.ts';
import { Migration20261121050000_hosted_jobs } from './Migration20261121050000_hosted_jobs.ts';
import { Migration20261121060000_buyer_clients } from './Migration20261121060000_buyer_clients.ts';
import { Migration20261121070000_tasks } from './Migration20261121070000_tasks.ts';
import { Migration20261204000000_idempotency_keys } from './Migration20261204000000_idempotency_keys.ts';
import { Migration20261205010000_delivery_deadlines } from './Migration20261205010000_delivery_deadlines.ts';
import { Migration20261205120000_job_roots } from './Migration20261205120000_job_roots.ts';
import { Migration20261206000000_client_ratings } from './Migration20261206000000_client_ratings.ts';
import { Migration20261207000000_extensions_and_tips } from './Migration20261207000000_extensions_and_tips.ts';
import { Migration20261208000000_bidding } from './Migration20261208000000_bidding.ts';
import { Migration20261209000000_subtask_budgets } from './Migration20261209000000_subtask_budgets.ts';
import { Migration20261210000000_evaluators } from './Migration20261210000000_evaluators.ts';
import { Migration20261211000000_hire_in_one_call } from './Migration20261211000000_hire_in_one_call.ts';
import { Migration20261208100000_dispute_ladder } from './Migration20261208100000_dispute_ladder.ts';

/** This schema's migrations, oldest first. */
export const jobsMigrations: MigrationObject[] = [
  { name: 'Migration20261121010000_jobs', class: Migration20261121010000_jobs },
  { name: 'Migration20261121020000_job_estimates', class: Migration20261121020000_job_estimates },
  { name: 'Migration20261121030000_job_funding', class: Migration20261121030000_job_funding },
  { name: 'Migration20261121050000_hosted_jobs', class: Migration20261121050000_hosted_jobs },
  { name: 'Migration20261121060000_buyer_clients', class: Migration20261121060000_buyer_clients },
  { name: 'Migration20261121070000_tasks', class: Migration20261121070000_tasks },
  { name: 'Migration20261204000000_idempotency_keys', class: Migration20261204000000_idempotency_keys },
  { name: 'Migration20261205010000_delivery_deadlines', class: Migration20261205010000_delivery_deadlines },
  { name: 'Migration20261205120000_job_roots', class: Migration20261205120000_job_roots },
  { name: 'Migration20261206000000_client_ratings', class: Migration20261206000000_client_ratings },
  { name: 'Migration20261207000000_extensions_and_tips', class: Migration20261207000000_extensions_and_tips },
  { name: 'Migration20261208000000_bidding', class: Migration20261208000000_bidding },
  { name: 'Migration20261208100000_dispute_ladder', class: Migration20261208100000_dispute_ladder },
  { name: 'Migration20261209000000_subtask_budgets', class: Migration20261209000000_subtask_budgets },
  { name: 'Migration20261210000000_evaluators', class: Migration20261210000000_evaluators },
  { name: 'Migration20261211000000_hire_in_one_call', class: Migration20261211000000_hire_in_one_call },
  outboxWithoutNotifyMigration('jobs'),
  eventRecordTimeIndexesMigration('jobs'),
];
