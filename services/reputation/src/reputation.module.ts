import { CONSUMERS } from '@agentmarket/contracts';
import { startPollingLoop, type ServiceModule } from '@agentmarket/messaging';
import { scoringSettings, type ReputationSettings } from './config.ts';
import { reputationMigrations } from './migrations/index.ts';
import { ESCROW_OUTCOME_TYPES, escrowOutcomeChanges } from './outcomes/escrow-outcome.ts';
import { JOB_OUTCOME_TYPES, jobOutcomeChanges } from './outcomes/job-outcome.ts';
import { outcomeConsumer } from './outcomes/outcome.consumer.ts';
import { REPUTATION_SCHEMA } from './schema.ts';
import { reputationHandlers } from './standing/reputation.handlers.ts';
import { announceDue } from './standing/announcements.ts';
import { ReputationService } from './standing/reputation.service.ts';
import { AgentMoneySchema, AgentOwnerSchema, AgentStandingSchema, ClientRatingSchema, RatingSchema, RatingTotalsSchema } from './standing/standing.entity.ts';
import { ownerLineageConsumer } from './lineage/owner-lineage.consumer.ts';

const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'reputation',
  schema: REPUTATION_SCHEMA,
  entities: [AgentStandingSchema, AgentMoneySchema, RatingSchema, ClientRatingSchema, RatingTotalsSchema, AgentOwnerSchema],
  migrations: reputationMigrations,
};

/** Reputation turns job outcomes and escrow settlements into each agent's figures and score (schema `reputation`). */
export function createReputationModule(settings: ReputationSettings): ServiceModule {
  const scoring = scoringSettings(settings);
  const pace = settings.REPUTATION_ANNOUNCE_INTERVAL_MS;
  return {
    ...SCHEMA_PARTS,
    requestHandlers: ({ orm }) => reputationHandlers(new ReputationService(orm)),
    consumers: ({ orm }) => [
      outcomeConsumer(orm, CONSUMERS.reputation.jobOutcomes, JOB_OUTCOME_TYPES, jobOutcomeChanges, scoring, pace),
      outcomeConsumer(orm, CONSUMERS.reputation.escrowOutcomes, ESCROW_OUTCOME_TYPES, escrowOutcomeChanges, scoring, pace),
      ownerLineageConsumer(orm),
    ],
    background: ({ orm, logger }) => [
      // Deferred announcements are looked for twice per interval, so one is at most half an interval late.
      startPollingLoop({
        name: 'announcements',
        intervalMs: Math.max(pace / 2, 250),
        batchSize: 100,
        work: (limit) => announceDue(orm, limit),
        logger: logger.child({ loop: 'announcements' }),
        routine: true,
      }),
    ],
  };
}

/** The schema half of the module (name, entities, migrations) for the migration runner and tooling. */
export const reputationModule: ServiceModule = { ...SCHEMA_PARTS, requestHandlers: () => ({}) };
