import { z } from 'zod';
import {
  JOB_ACTION_INPUTS,
  bidSchema,
  createTaskInputSchema,
  createdTaskSchema,
  listTasksQuerySchema,
  placeBidInputSchema,
  taskSchema,
  hireJobInputSchema,
  inboxQuerySchema,
  inboxSchema,
  jobSchema,
  listJobsQuerySchema,
  listServicesQuerySchema,
  messageSchema,
  sendMessageInputSchema,
  serviceSchema,
  walletSchema,
} from '@agentmarket/contracts';
import { pageOf } from '../routes/schemas.ts';

/** Where a tool's arguments go in the REST request it stands for. */
export type ArgumentPlace = 'body' | 'query' | 'none';

/**
 * One MCP tool: a REST route of the gateway under an agent-friendly name. The
 * tool is answered by that route (same validation, limits, idempotency and
 * reply), so the two can never disagree.
 */
export interface McpTool {
  name: string;
  title: string;
  description: string;
  method: 'GET' | 'POST';
  /** The route's path, `{id}` filled from the argument named by `idArgument`. */
  path: string;
  idArgument?: 'job_id' | 'service_id' | 'task_id';
  /** The route's own input schema (body or query); undefined when it takes none. */
  input?: z.ZodType;
  place: ArgumentPlace;
  /** The route's success reply. */
  output: z.ZodType;
  /** Changes state: accepts `idempotency_key`, sent as the Idempotency-Key header. */
  changesState: boolean;
  /** A one-line text summary of the reply, for models that read `content` only. */
  summarise(reply: unknown): string;
}

const field = (reply: unknown, name: string): unknown => (typeof reply === 'object' && reply !== null ? Reflect.get(reply, name) : undefined);
const jobLine = (reply: unknown): string => `Job ${String(field(reply, 'id'))} is ${String(field(reply, 'status'))}.`;
const pageLine = (noun: string) => (reply: unknown): string => {
  const data = field(reply, 'data');
  const more = field(reply, 'next_cursor') ? ' More with cursor=next_cursor.' : '';
  return `${Array.isArray(data) ? data.length : 0} ${noun}.${more}`;
};

const jobTransition = (
  name: string,
  action: keyof typeof JOB_ACTION_INPUTS,
  title: string,
  description: string,
): McpTool => ({
  name,
  title,
  description,
  method: 'POST',
  path: `/api/jobs/{id}/${action}`,
  idArgument: 'job_id',
  input: JOB_ACTION_INPUTS[action],
  place: 'body',
  output: jobSchema,
  changesState: true,
  summarise: jobLine,
});

/** The tools of the MCP endpoint, by the names agents already use. */
export const MCP_TOOLS: readonly McpTool[] = [
  {
    name: 'search_services',
    title: 'Search services',
    description: 'Search the catalog of fixed-price services: full text (q), capability, agent, price range, currency, sort. Pages with cursor.',
    method: 'GET',
    path: '/api/services',
    input: listServicesQuerySchema,
    place: 'query',
    output: pageOf(serviceSchema),
    changesState: false,
    summarise: pageLine('services'),
  },
  {
    name: 'get_service',
    title: 'Get a service',
    description: 'One service: price, inputs it requires (and input_schema, the JSON Schema its input_data must follow, when it declares one), output type, its agent.',
    method: 'GET',
    path: '/api/services/{id}',
    idArgument: 'service_id',
    place: 'none',
    output: serviceSchema,
    changesState: false,
    summarise: (reply) => `Service ${String(field(reply, 'name'))} (${String(field(reply, 'id'))}).`,
  },
  {
    name: 'hire_service',
    title: 'Hire a service',
    description:
      'Hire a service: creates a pending job and holds its price in escrow from your wallet. input_data must follow the service’s input_schema (see get_service), else invalid_inputs. Pass expected_price to refuse a changed price.',
    method: 'POST',
    path: '/api/jobs',
    input: hireJobInputSchema,
    place: 'body',
    output: jobSchema,
    changesState: true,
    summarise: jobLine,
  },
  {
    name: 'get_job',
    title: 'Get a job',
    description: 'One of your jobs (as client or worker) with its deliverables.',
    method: 'GET',
    path: '/api/jobs/{id}',
    idArgument: 'job_id',
    place: 'none',
    output: jobSchema,
    changesState: false,
    summarise: jobLine,
  },
  {
    name: 'list_my_jobs',
    title: 'List my jobs',
    description: 'Your jobs as client, worker or both, newest first; filter by role and status. Pages with cursor.',
    method: 'GET',
    path: '/api/jobs',
    input: listJobsQuerySchema,
    place: 'query',
    output: pageOf(jobSchema),
    changesState: false,
    summarise: pageLine('jobs'),
  },
  jobTransition('start_job', 'start', 'Start a job', 'Worker: accept a pending job and start it.'),
  jobTransition('deliver_job', 'deliver', 'Deliver a job', 'Worker: deliver a result (artifact_type, content); each delivery is a new deliverable version.'),
  jobTransition('request_revision', 'request-revision', 'Request a revision', 'Client: send a delivered job back with feedback (up to the service’s max_revisions).'),
  jobTransition('complete_job', 'complete', 'Complete a job', 'Client: accept the delivery and rate it 1–5; the escrow is released to the worker.'),
  jobTransition('cancel_job', 'cancel', 'Cancel a job', 'Client: cancel a job that has not started (or is past its delivery deadline); the escrow is refunded.'),
  {
    name: 'send_job_message',
    title: 'Message the other party',
    description: 'Write to the other party of one of your jobs.',
    method: 'POST',
    path: '/api/jobs/{id}/messages',
    idArgument: 'job_id',
    input: sendMessageInputSchema,
    place: 'body',
    output: messageSchema,
    changesState: true,
    summarise: (reply) => `Message ${String(field(reply, 'id'))} sent.`,
  },
  {
    name: 'read_inbox',
    title: 'Read my inbox',
    description: 'Your messages, newest first (unread=true for unread only, job_id for one job), with total and unread_count.',
    method: 'GET',
    path: '/api/inbox',
    input: inboxQuerySchema,
    place: 'query',
    output: inboxSchema,
    changesState: false,
    summarise: (reply) => `${String(field(reply, 'unread_count'))} unread of ${String(field(reply, 'total'))} messages.`,
  },
  {
    name: 'get_wallet',
    title: 'Get my wallet',
    description: 'Your balances per currency: available and held in escrow.',
    method: 'GET',
    path: '/api/wallet',
    place: 'none',
    output: walletSchema,
    changesState: false,
    summarise: (reply) => {
      const balances = field(reply, 'balances');
      const lines = Array.isArray(balances) ? balances.map((b: unknown) => `${String(field(b, 'currency'))} ${String(field(b, 'available'))} available`) : [];
      return lines.length > 0 ? `${lines.join(', ')}.` : 'No balances yet.';
    },
  },
  {
    name: 'post_task',
    title: 'Post an open task',
    description:
      'Post a task with a budget. mode "auto" (default): the coordinator picks the best-scored service that fits and hires it with escrow. mode "bidding" with bidding_seconds: agents bid until it closes (auto_accept hires the best-scored bid then).',
    method: 'POST',
    path: '/api/tasks',
    input: createTaskInputSchema,
    place: 'body',
    output: createdTaskSchema,
    changesState: true,
    summarise: (reply) =>
      field(reply, 'job') ? `Task ${String(field(reply, 'task_id'))} placed: ${jobLine(field(reply, 'job'))}` : `Task ${String(field(reply, 'task_id'))} is open for bids until ${String(field(reply, 'closes_at'))}.`,
  },
  {
    name: 'list_open_tasks',
    title: 'List open tasks',
    description: 'Tasks open for bids, newest first (filter by capability): title, description, budget, closes_at, bid_count. Bid on one with place_bid.',
    method: 'GET',
    path: '/api/tasks',
    input: listTasksQuerySchema,
    place: 'query',
    output: pageOf(taskSchema),
    changesState: false,
    summarise: pageLine('tasks'),
  },
  {
    name: 'place_bid',
    title: 'Bid on an open task',
    description: 'Offer one of your services for an open task at your price (within its budget, in its currency); replaces your earlier bid on it. The poster accepts one, or auto_accept picks the best-scored at closing.',
    method: 'POST',
    path: '/api/tasks/{id}/bids',
    idArgument: 'task_id',
    input: placeBidInputSchema,
    place: 'body',
    output: bidSchema,
    changesState: true,
    summarise: (reply) => `Bid ${String(field(reply, 'id'))} is ${String(field(reply, 'status'))}.`,
  },
  jobTransition('reject_delivery', 'reject', 'Reject a delivery', 'Evaluator: reject a delivered job you were named to judge, with a reason; the client is refunded and you are paid your fee.'),
];
