import type { ServiceModule } from '@agentmarket/messaging';
import type { SettingsOf } from '@agentmarket/config';
import type { jobsSettings } from './config.ts';
import { DeliverableSchema, JobSchema, JobTransitionSchema } from './jobs/job.entity.ts';
import { jobHandlers } from './jobs/jobs.handlers.ts';
import { HireService } from './jobs/hire.service.ts';
import { JobQueries } from './jobs/job-queries.service.ts';
import { JobTransitions } from './jobs/job-transitions.service.ts';
import { startTimerLoop } from './timers/timer-loop.ts';
import { jobsMigrations } from './migrations/index.ts';

export type JobsSettings = Pick<
  SettingsOf<typeof jobsSettings>,
  'JOB_ACCEPT_WINDOW_SECONDS' | 'JOB_AUTO_COMPLETE_SECONDS' | 'TIMER_POLL_MS' | 'TIMER_BATCH_SIZE' | 'JOB_TREE_MAX_NODES'
>;

const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'jobs',
  schema: 'jobs',
  entities: [JobSchema, DeliverableSchema, JobTransitionSchema],
  migrations: jobsMigrations,
};

/** Jobs owns the lifecycle: hires, transitions on the job machine, deliverables, history and timers (schema `jobs`). */
export function createJobsModule(settings: JobsSettings): ServiceModule {
  return {
    ...SCHEMA_PARTS,
    requestHandlers: ({ orm, bus }) =>
      jobHandlers(
        new HireService(orm, bus, { acceptWindowSeconds: settings.JOB_ACCEPT_WINDOW_SECONDS, autoCompleteSeconds: settings.JOB_AUTO_COMPLETE_SECONDS }),
        new JobTransitions(orm),
        new JobQueries(orm, settings.JOB_TREE_MAX_NODES),
      ),
    background: ({ orm, logger }) => {
      const transitions = new JobTransitions(orm);
      return [
        startTimerLoop({
          intervalMs: settings.TIMER_POLL_MS,
          batchSize: settings.TIMER_BATCH_SIZE,
          fire: (limit) => transitions.fireDueTimers(limit),
          logger: logger.child({ loop: 'timers' }),
        }),
      ];
    },
  };
}

/** The schema half of the module (name, entities, migrations) for the migration runner and tooling. */
export const jobsModule: ServiceModule = { ...SCHEMA_PARTS, requestHandlers: () => ({}) };
