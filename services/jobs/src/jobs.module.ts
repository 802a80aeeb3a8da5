import { startPollingLoop, type ServiceContext, type ServiceModule } from '@agentmarket/messaging';
import type { SettingsOf } from '@agentmarket/config';
import type { jobsSettings } from './config.ts';
import { DeliverableSchema, JobSchema, JobTransitionSchema } from './jobs/job.entity.ts';
import { jobHandlers } from './jobs/jobs.handlers.ts';
import { HireService } from './jobs/hire.service.ts';
import { ServiceTermsCache } from './jobs/service-terms-cache.ts';
import { JobQueries } from './jobs/job-queries.service.ts';
import { JobStatsService } from './jobs/job-stats.service.ts';
import { ClientRatings } from './jobs/client-rating.service.ts';
import { JobTransitions } from './jobs/job-transitions.service.ts';
import type { WindowPolicy } from './jobs/job-windows.ts';
import { Coordinator } from './tasks/coordinator.service.ts';
import { Bidding } from './tasks/bidding.service.ts';
import { TaskAttemptSchema, TaskSchema } from './tasks/task.entity.ts';
import { taskHandlers } from './tasks/tasks.handlers.ts';
import { taskReassignmentConsumer } from './tasks/task-reassignment.consumer.ts';
import { jobsMigrations } from './migrations/index.ts';
import { tipHandlers } from './tips/tips.handlers.ts';
import { Tips } from './tips/tips.service.ts';
import { JOBS_SCHEMA } from './schema.ts';
import { RecentJobs } from './jobs/recent-jobs.ts';

export type JobsSettings = Pick<
  SettingsOf<typeof jobsSettings>,
  | 'JOB_ACCEPT_WINDOW_SECONDS'
  | 'JOB_AUTO_COMPLETE_SECONDS'
  | 'JOB_MIN_AUTO_COMPLETE_SECONDS'
  | 'JOB_MIN_ACCEPT_WINDOW_SECONDS'
  | 'JOB_MAX_ACCEPT_WINDOW_SECONDS'
  | 'JOB_DELIVERY_DEADLINE_FACTOR'
  | 'JOB_DELIVERY_DEADLINE_FLOOR_SECONDS'
  | 'TIMER_POLL_MS'
  | 'TIMER_BATCH_SIZE'
  | 'JOB_TREE_MAX_NODES'
  | 'HIRE_RECOVERY_POLL_MS'
  | 'HIRE_RECOVERY_AFTER_SECONDS'
  | 'HIRE_GIVE_UP_SECONDS'
  | 'GRAPH_MAX_EDGES'
  | 'TIP_WINDOW_DAYS'
  | 'DISPUTE_RESPONSE_WINDOW_SECONDS'
>;

/** A missed invalidation (core NATS is at most once) is corrected within this long. */
const SERVICE_TERMS_TTL_MS = 10_000;
const SERVICE_TERMS_MAX = 10_000;

const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'jobs',
  schema: JOBS_SCHEMA,
  entities: [JobSchema, DeliverableSchema, JobTransitionSchema, TaskSchema, TaskAttemptSchema],
  migrations: jobsMigrations,
};

/** Jobs owns the lifecycle: hires, transitions on the job machine, deliverables, history, timers and open tasks (schema `jobs`). */
export function createJobsModule(settings: JobsSettings): ServiceModule {
  const windows: WindowPolicy = {
    defaultAcceptWindowSeconds: settings.JOB_ACCEPT_WINDOW_SECONDS,
    minAcceptWindowSeconds: settings.JOB_MIN_ACCEPT_WINDOW_SECONDS,
    maxAcceptWindowSeconds: settings.JOB_MAX_ACCEPT_WINDOW_SECONDS,
    defaultAutoCompleteSeconds: settings.JOB_AUTO_COMPLETE_SECONDS,
    minAutoCompleteSeconds: settings.JOB_MIN_AUTO_COMPLETE_SECONDS,
    deliveryDeadlineFactor: settings.JOB_DELIVERY_DEADLINE_FACTOR,
    deliveryDeadlineFloorSeconds: settings.JOB_DELIVERY_DEADLINE_FLOOR_SECONDS,
  };
  // One cache of service terms per process, shared by hires and the coordinator's hires; it stops with the loops.
  const terms = onePerContext((context) => new ServiceTermsCache(context.bus, context.logger, SERVICE_TERMS_TTL_MS, SERVICE_TERMS_MAX));
  // The jobs this process wrote last, shared by the hires that fund them, the transitions and the timers.
  const recentJobs = onePerContext(() => new RecentJobs());
  const transitions = (context: ServiceContext) => new JobTransitions(context.orm, settings.DISPUTE_RESPONSE_WINDOW_SECONDS, recentJobs(context));
  const hiring = (context: ServiceContext) => new HireService(context.orm, context.bus, terms(context), windows, recentJobs(context));
  const queries = ({ orm, bus }: ServiceContext) => new JobQueries(orm, settings.JOB_TREE_MAX_NODES, bus);
  const coordinator = (context: ServiceContext) => new Coordinator(context.orm, context.bus, hiring(context), queries(context));
  const bidding = (context: ServiceContext) => new Bidding(context.orm, context.bus, hiring(context), terms(context), queries(context));
  return {
    ...SCHEMA_PARTS,
    requestHandlers: (context) => ({
      ...jobHandlers(hiring(context), transitions(context), queries(context), new JobStatsService(context.orm, settings.GRAPH_MAX_EDGES), new ClientRatings(context.orm)),
      ...taskHandlers(coordinator(context), bidding(context)),
      ...tipHandlers(new Tips(context.orm, context.bus, settings.TIP_WINDOW_DAYS)),
    }),
    consumers: (context) => [taskReassignmentConsumer(coordinator(context))],
    background: (context) => {
      const { orm, logger } = context;
      const timers = transitions(context);
      const hires = hiring(context);
      const closer = bidding(context);
      return [
        terms(context),
        startPollingLoop({
          name: 'hire recovery',
          intervalMs: settings.HIRE_RECOVERY_POLL_MS,
          batchSize: 50,
          work: (limit) => hires.resumePending(settings.HIRE_RECOVERY_AFTER_SECONDS, settings.HIRE_GIVE_UP_SECONDS, limit),
          logger: logger.child({ loop: 'hire_recovery' }),
        }),
        startPollingLoop({
          name: 'timers',
          intervalMs: settings.TIMER_POLL_MS,
          batchSize: settings.TIMER_BATCH_SIZE,
          work: (limit) => timers.fireDueTimers(limit),
          logger: logger.child({ loop: 'timers' }),
        }),
        // A bidding task's closing time is its timer: due tasks are closed (auto-accepted or expired) at the same pace as job timers.
        startPollingLoop({
          name: 'task closing',
          intervalMs: settings.TIMER_POLL_MS,
          batchSize: settings.TIMER_BATCH_SIZE,
          work: (limit) => closer.closeDueTasks(limit),
          logger: logger.child({ loop: 'task_closing' }),
        }),
      ];
    },
  };
}

/** One instance per running service (its context), made on first use. */
function onePerContext<T extends object>(make: (context: ServiceContext) => T): (context: ServiceContext) => T {
  const made = new WeakMap<ServiceContext, T>();
  return (context) => {
    let value = made.get(context);
    if (!value) made.set(context, (value = make(context)));
    return value;
  };
}

/** The schema half of the module (name, entities, migrations) for the migration runner and tooling. */
export const jobsModule: ServiceModule = { ...SCHEMA_PARTS, requestHandlers: () => ({}) };
