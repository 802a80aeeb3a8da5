import {
  SUBJECTS,
  adminDisputesQuerySchema,
  hireJobCommandSchema,
  jobQueryCommandSchema,
  jobTransitionCommandSchema,
  listJobsCommandSchema,
  rateClientCommandSchema,
} from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import { z } from 'zod';
import type { HireService } from './hire.service.ts';
import type { JobQueries } from './job-queries.service.ts';
import type { JobStatsService } from './job-stats.service.ts';
import type { JobTransitions } from './job-transitions.service.ts';
import type { ClientRatings } from './client-rating.service.ts';

/** Request/reply subjects of the jobs service. */
export function jobHandlers(
  hiring: HireService,
  transitions: JobTransitions,
  queries: JobQueries,
  stats: JobStatsService,
  clientRatings: ClientRatings,
): Record<string, RequestHandler> {
  const subjects = SUBJECTS.jobs;
  return {
    [subjects.hire]: handler(hireJobCommandSchema, (input, context) =>
      hiring.hire(input.client, input.job, input.idempotency_key, context.requestId),
    ),
    [subjects.transition]: handler(jobTransitionCommandSchema, (input) => transitions.perform(input)),
    [subjects.get]: handler(jobQueryCommandSchema, (input) => queries.get(input.job_id, input.caller)),
    [subjects.parties]: handler(jobQueryCommandSchema, (input) => queries.parties(input.job_id, input.caller)),
    [subjects.list]: handler(listJobsCommandSchema, (input) => queries.list(input.party, input.query)),
    [subjects.tree]: handler(jobQueryCommandSchema, (input) => queries.tree(input.job_id, input.caller)),
    [subjects.history]: handler(jobQueryCommandSchema, (input) => queries.history(input.job_id, input.caller)),
    [subjects.stats]: handler(z.unknown(), () => stats.stats()),
    [subjects.graph]: handler(z.unknown(), async () => ({ edges: await stats.edges() })),
    [subjects.rateClient]: handler(rateClientCommandSchema, (input) => clientRatings.rate(input)),
    // Admins only: the gateway's admin route is the one caller.
    [subjects.listDisputes]: handler(adminDisputesQuerySchema, (input) => queries.disputes(input)),
  };
}
