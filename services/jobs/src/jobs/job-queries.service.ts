import { boundedPage } from '@agentmarket/messaging';
import type { FilterQuery } from '@mikro-orm/core';
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
import { DeliverableSchema, JobSchema, JobTransitionSchema, type Deliverable, type Job } from './job.entity.ts';
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
    return toJobView(job, await em.find(DeliverableSchema, { jobId }));
  }

  async parties(jobId: string, caller: Caller): Promise<JobParties> {
    const job = await this.visibleJob(jobId, caller);
    return { job_id: job.id, client_agent_id: job.clientAgentId ?? null, client_user_id: job.clientUserId ?? null, worker_agent_id: job.workerAgentId };
  }

  /** Jobs where the party is client or worker (or the one `role` names), newest first; deliverables in one query. A person is only ever a client. */
  async list(party: Client, query: ListJobsQuery): Promise<JobPage> {
    const em = this.orm.em.fork();
    const asClient: FilterQuery<Job> = party.type === 'user' ? { clientUserId: party.id } : { clientAgentId: party.id };
    const asWorker: FilterQuery<Job> = party.type === 'user' ? { id: null } : { workerAgentId: party.id };
    const conditions: FilterQuery<Job>[] = [
      { fundingStatus: 'funded' },
      query.role === 'client' ? asClient : query.role === 'worker' ? asWorker : { $or: [asClient, asWorker] },
    ];
    if (query.status) conditions.push({ status: query.status });
    if (query.service_id) conditions.push({ serviceId: query.service_id });
    if (query.worker_agent_id) conditions.push({ workerAgentId: query.worker_agent_id });
    if (query.cursor) conditions.push({ id: { $lt: decodeCursor(query.cursor, idCursor('jobs')).id } });
    const rows = await em.find(JobSchema, { $and: conditions }, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const deliverables = page.length > 0 ? await em.find(DeliverableSchema, { jobId: { $in: page.map((job) => job.id) } }) : [];
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
    const rows = await em.execute<{ id: string }[]>(
      `with recursive tree as (
         select id, 0 as depth from jobs.jobs where parent_job_id = ? and funding_status = 'funded'
         union all
         select child.id, tree.depth + 1 from jobs.jobs child join tree on child.parent_job_id = tree.id where tree.depth < 50 and child.funding_status = 'funded'
       )
       select id from tree limit ?`,
      [root.id, this.treeMaxNodes],
      'all',
    );
    const descendants = rows.length > 0 ? await em.find(JobSchema, { id: { $in: rows.map((row) => row.id) } }, { orderBy: { id: 'asc' } }) : [];
    const childrenOf = Map.groupBy(descendants, (job: Job) => job.parentJobId ?? '');
    const budgetOf = await treeBudgets(this.bus, [root, ...descendants]);
    const build = (job: Job): JobTreeNode => ({ job: toJobSummary(job), ...budgetOf(job), children: (childrenOf.get(job.id) ?? []).map(build) });
    return build(root);
  }

  /** Every transition of the job, oldest first. */
  async history(jobId: string, caller: Caller): Promise<{ data: JobTransitionRecord[]; next_cursor: null }> {
    const em = this.orm.em.fork();
    await this.visibleJob(jobId, caller, em);
    const transitions = await em.find(JobTransitionSchema, { jobId }, { orderBy: { id: 'asc' } });
    return { data: transitions.map(toTransitionRecord), next_cursor: null };
  }

  /** The admins' queue of disputed jobs, the longest waiting first (dispute-queue.ts). */
  async disputes(query: AdminDisputesQuery): Promise<Page<DisputedJob>> {
    return listDisputedJobs(this.orm, query);
  }

  private async visibleJob(jobId: string, caller: Caller, em = this.orm.em.fork()): Promise<Job> {
    const job = await em.findOne(JobSchema, { id: jobId });
    if (!job) throw jobNotFound(jobId);
    roleOnJob(job, caller);
    return job;
  }
}

