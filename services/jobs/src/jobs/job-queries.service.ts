import { boundedPage } from '@agentmarket/messaging';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  decodeCursor,
  encodeCursor,
  idCursor,
  type Caller,
  type Client,
  type JobPage,
  type JobParties,
  type JobTransitionRecord,
  type JobTreeNode,
  type JobView,
  type ListJobsQuery,
  type AdminDisputesQuery,
  type DisputedJob,
  type Page,
} from '@agentmarket/contracts';
import type { Deliverable, Job } from './job.entity.ts';
import {
  deliverablesOfJob,
  deliverablesOfJobs,
  descendantIds,
  findJob,
  findJobsByIdsOldestFirst,
  findPartyJobs,
  transitionsOfJob,
} from './job-reads.repository.ts';
import { jobNotFound, roleOnJob } from './job-access.ts';
import { toJobSummary, toJobView, toTransitionRecord } from './job.views.ts';
import { listDisputedJobs } from './dispute-queue.ts';
import { treeBudgets } from './tree-budgets.ts';
import type { BusClient } from '@agentmarket/messaging';

/** Reads of jobs, each visible only to the job's client, its worker and admins. */
export class JobQueries {
  private readonly orm: MikroORM;
  private readonly treeMaxNodes: number;
  /** Asks payments for the tree view's budgets. */
  private readonly bus: BusClient;

  constructor(orm: MikroORM, treeMaxNodes: number, bus: BusClient) {
    this.orm = orm;
    this.treeMaxNodes = treeMaxNodes;
    this.bus = bus;
  }

  async get(jobId: string, caller: Caller): Promise<JobView> {
    const em = this.orm.em.fork();
    const job = await this.visibleJob(jobId, caller, em);
    return toJobView(job, await deliverablesOfJob(em, jobId));
  }

  async parties(jobId: string, caller: Caller): Promise<JobParties> {
    const job = await this.visibleJob(jobId, caller);
    return { job_id: job.id, client_agent_id: job.clientAgentId ?? null, client_user_id: job.clientUserId ?? null, worker_agent_id: job.workerAgentId };
  }

  /** Jobs where the party is client or worker (or the one `role` names), newest first; deliverables in one query. A person is only ever a client. */
  async list(party: Client, query: ListJobsQuery): Promise<JobPage> {
    const em = this.orm.em.fork();
    const before = query.cursor ? String(decodeCursor(query.cursor, idCursor('jobs')).id) : undefined;
    const rows = await findPartyJobs(em, party, query, before, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const deliverables = page.length > 0 ? await deliverablesOfJobs(em, page.map((job) => job.id)) : [];
    const byJob = Map.groupBy(deliverables, (deliverable: Deliverable) => deliverable.jobId);
    return boundedPage(
      rows,
      query.limit,
      (job) => toJobView(job, byJob.get(job.id) ?? []),
      (last) => encodeCursor({ value: last.id, id: last.id }, 'jobs'),
    );
  }

  /** The job and all its descendants (one recursive query), as nested summaries. */
  async tree(jobId: string, caller: Caller): Promise<JobTreeNode> {
    const em = this.orm.em.fork();
    const root = await this.visibleJob(jobId, caller, em);
    const ids = await descendantIds(em, root.id, this.treeMaxNodes);
    const descendants = ids.length > 0 ? await findJobsByIdsOldestFirst(em, ids) : [];
    const childrenOf = Map.groupBy(descendants, (job: Job) => job.parentJobId ?? '');
    const budgetOf = await treeBudgets(this.bus, [root, ...descendants]);
    const build = (job: Job): JobTreeNode => ({ job: toJobSummary(job), ...budgetOf(job), children: (childrenOf.get(job.id) ?? []).map(build) });
    return build(root);
  }

  /** Every transition of the job, oldest first. */
  async history(jobId: string, caller: Caller): Promise<{ data: JobTransitionRecord[]; next_cursor: null }> {
    const em = this.orm.em.fork();
    await this.visibleJob(jobId, caller, em);
    const transitions = await transitionsOfJob(em, jobId);
    return { data: transitions.map(toTransitionRecord), next_cursor: null };
  }

  /** The admins' queue of disputed jobs, the longest waiting first (dispute-queue.ts). */
  async disputes(query: AdminDisputesQuery): Promise<Page<DisputedJob>> {
    return listDisputedJobs(this.orm, query);
  }

  private async visibleJob(jobId: string, caller: Caller, em = this.orm.em.fork()): Promise<Job> {
    const job = await findJob(em, jobId);
    if (!job) throw jobNotFound(jobId);
    roleOnJob(job, caller);
    return job;
  }
}

