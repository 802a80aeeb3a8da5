import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type {
  AgentCard,
  CancelTaskRequest,
  DeleteTaskPushNotificationConfigRequest,
  GetTaskPushNotificationConfigRequest,
  GetTaskRequest,
  ListTaskPushNotificationConfigsRequest,
  ListTaskPushNotificationConfigsResponse,
  ListTasksRequest,
  ListTasksResponse,
  Message,
  SendMessageRequest,
  StreamResponse,
  SubscribeToTaskRequest,
  Task,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import { ExtendedAgentCardNotConfiguredError, RequestMalformedError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import {
  AppError,
  JOB_ACTIONS,
  SUBJECTS,
  type Client,
  type JobPage,
  type JobView,
  type PushConfigPage,
  type PushConfigView,
  type ServiceView,
} from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import { callRoute, queryStringOf, type ForwardedCaller, type RouteCall } from '../in-process/route-call.ts';
import type { EventHub } from '../sse/event-hub.ts';
import { a2aErrorOf } from './a2a-errors.ts';
import { artifactOf, taskOf } from '@agentmarket/contracts/a2a-job-task';
import { jobChanges } from './job-watch.ts';
import { jobStatusOf } from '@agentmarket/contracts/a2a-task-states';

const TITLE_MAX = 200;
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

interface HandlerScope {
  app: FastifyInstance;
  hub: EventHub;
  caller: ForwardedCaller;
  /** The agent whose endpoint was called: tasks are its jobs, skills its services. */
  agentId: string;
  card: AgentCard;
  /** Aborted when the HTTP request ends: streams stop following their job. */
  signal: AbortSignal;
  /** Push-notification configs are kept by the webhooks service. */
  bus: BusClient;
  /** The verified caller as a webhook owner (an agent or a person); undefined for an admin, who owns none. */
  owner: Client | undefined;
}

type DataValue = Record<string, unknown>;

function dataOf(message: Message): DataValue | undefined {
  for (const part of message.parts) {
    const value: unknown = part.content?.$case === 'data' ? part.content.value : undefined;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as DataValue;
  }
  return undefined;
}

function textOf(message: Message): string {
  return message.parts
    .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
    .join('\n')
    .trim();
}

const stringField = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * A2A on the market: each agent's endpoint hires its services (SendMessage),
 * and its jobs are the tasks. Every operation is the REST route that does the
 * same thing, run in process with the caller's credentials, so money, access
 * and idempotency follow the same rules.
 */
export class JobRequestHandler implements A2ARequestHandler {
  private readonly scope: HandlerScope;

  constructor(scope: HandlerScope) {
    this.scope = scope;
  }

  async getAgentCard(): Promise<AgentCard> {
    return this.scope.card;
  }

  async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    throw new ExtendedAgentCardNotConfiguredError('This agent has no extended card');
  }

  async sendMessage(params: SendMessageRequest): Promise<Task> {
    const message = params.message;
    if (!message) throw new RequestMalformedError('message is required');
    return message.taskId ? this.followUp(message) : this.hire(message, params.metadata);
  }

  async *sendMessageStream(params: SendMessageRequest): AsyncGenerator<StreamResponse> {
    const task = await this.sendMessage(params);
    yield* this.follow(task.id);
  }

  async getTask(params: GetTaskRequest): Promise<Task> {
    return taskOf(await this.job(params.id));
  }

  async listTasks(params: ListTasksRequest): Promise<ListTasksResponse> {
    const pageSize = Math.min(Math.max(params.pageSize ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const query = {
      worker_agent_id: this.scope.agentId,
      limit: pageSize,
      cursor: params.pageToken || undefined,
      status: jobStatusOf(params.status),
    };
    const page = await this.call<JobPage>({ method: 'GET', url: `/api/jobs${queryStringOf(query)}` });
    const tasks = page.data.map((job) => {
      const task = taskOf(job);
      return params.includeArtifacts ? task : { ...task, artifacts: [] };
    });
    // No total is counted: totalSize is the size of this page.
    return { tasks, nextPageToken: page.next_cursor ?? '', pageSize, totalSize: tasks.length };
  }

  async cancelTask(params: CancelTaskRequest): Promise<Task> {
    await this.job(params.id);
    const job = await this.call<JobView>({ method: 'POST', url: `/api/jobs/${encodeURIComponent(params.id)}/cancel`, body: {} }, { taskId: params.id, cancelling: true });
    return taskOf(job);
  }

  async *resubscribe(params: SubscribeToTaskRequest): AsyncGenerator<StreamResponse> {
    await this.job(params.id);
    yield* this.follow(params.id);
  }

  /**
   * Stores the config as a webhook of the caller that follows this job only
   * and is sent in the A2A format; the same id again replaces its url and
   * credentials. Only a party of the job may: anyone else finds no task.
   */
  async createTaskPushNotificationConfig(params: TaskPushNotificationConfig): Promise<TaskPushNotificationConfig> {
    const owner = await this.pushConfigOwner(params.taskId);
    // No credentials (an empty pair is what a client that sets none may send): no Authorization header.
    const authentication = params.authentication?.credentials ? params.authentication : undefined;
    if (authentication && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(authentication.scheme)) {
      throw new RequestMalformedError('authentication.scheme must be one HTTP auth scheme name, such as Bearer');
    }
    const config = {
      id: params.id || randomUUID(),
      url: params.url,
      ...(params.token ? { token: params.token } : {}),
      ...(authentication ? { authorization: `${authentication.scheme} ${authentication.credentials}` } : {}),
    };
    const stored = await this.pushConfigCall<PushConfigView>(SUBJECTS.webhooks.createPushConfig, { owner, job_id: params.taskId, config }, params.taskId);
    // The caller sent the credentials: it gets them back this once; reads show the scheme only.
    return { ...configOf(stored), authentication };
  }

  async getTaskPushNotificationConfig(params: GetTaskPushNotificationConfigRequest): Promise<TaskPushNotificationConfig> {
    const owner = await this.pushConfigOwner(params.taskId);
    return configOf(await this.pushConfigCall<PushConfigView>(SUBJECTS.webhooks.getPushConfig, { owner, job_id: params.taskId, config_id: params.id }, params.taskId));
  }

  async listTaskPushNotificationConfigs(params: ListTaskPushNotificationConfigsRequest): Promise<ListTaskPushNotificationConfigsResponse> {
    const owner = await this.pushConfigOwner(params.taskId);
    const query = { limit: Math.min(Math.max(params.pageSize || DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE), ...(params.pageToken ? { cursor: params.pageToken } : {}) };
    const page = await this.pushConfigCall<PushConfigPage>(SUBJECTS.webhooks.listPushConfigs, { owner, job_id: params.taskId, query }, params.taskId);
    return { configs: page.data.map(configOf), nextPageToken: page.next_cursor ?? '' };
  }

  /** Deletes the caller's config; one already gone is no error (a retried delete succeeds), as with the SDK's own store. */
  async deleteTaskPushNotificationConfig(params: DeleteTaskPushNotificationConfigRequest): Promise<void> {
    const owner = await this.pushConfigOwner(params.taskId);
    try {
      await this.pushConfigCall(SUBJECTS.webhooks.deletePushConfig, { owner, job_id: params.taskId, config_id: params.id }, params.taskId);
    } catch (error) {
      if (!(error instanceof TaskNotFoundError)) throw error;
    }
  }

  /** A message without a task hires one of the agent's services: the data part names it and carries the inputs. */
  private async hire(message: Message, requestMetadata: DataValue | undefined): Promise<Task> {
    const data = dataOf(message) ?? {};
    const serviceId = stringField(data.service_id) ?? stringField(message.metadata?.skill_id) ?? stringField(requestMetadata?.skill_id) ?? this.onlySkill();
    if (!serviceId) throw new RequestMalformedError('Name the service: a data part {"service_id": …, "input_data": {…}} or metadata.skill_id');
    const service = await this.call<ServiceView>({ method: 'GET', url: `/api/services/${encodeURIComponent(serviceId)}` });
    if (service.agent_id !== this.scope.agentId) throw new RequestMalformedError(`Service ${serviceId} is not offered by this agent`);
    const title = stringField(data.title) ?? (textOf(message).slice(0, TITLE_MAX) || undefined);
    const hire = {
      service_id: serviceId,
      input_data: data.input_data ?? {},
      ...(title ? { title } : {}),
      ...(data.expected_price !== undefined ? { expected_price: data.expected_price } : {}),
      ...(data.parent_job_id !== undefined ? { parent_job_id: data.parent_job_id } : {}),
    };
    // The message id is the client's own, kept across its retries: the hire happens once.
    const job = await this.call<JobView>({ method: 'POST', url: '/api/jobs', body: hire, idempotencyKey: `a2a:${message.messageId}` });
    return taskOf(job);
  }

  /**
   * A message on an existing task: a data part `{action, …}` performs that
   * transition (complete, request-revision, dispute, and the others the
   * caller's role allows); text alone goes to the job's thread.
   */
  private async followUp(message: Message): Promise<Task> {
    const taskId = message.taskId;
    await this.job(taskId);
    const { action, ...input } = dataOf(message) ?? {};
    const key = `a2a:${message.messageId}`;
    const jobPath = `/api/jobs/${encodeURIComponent(taskId)}`;
    if (action === undefined) {
      const text = textOf(message);
      if (!text) throw new RequestMalformedError('A follow-up needs a data part {"action": …} or text for the job thread');
      await this.call({ method: 'POST', url: `${jobPath}/messages`, body: { content: text }, idempotencyKey: key }, { taskId });
      return taskOf(await this.job(taskId));
    }
    if (typeof action !== 'string' || !(JOB_ACTIONS as readonly string[]).includes(action)) {
      throw new RequestMalformedError(`Unknown action ${String(action)}: one of ${JOB_ACTIONS.join(', ')}`);
    }
    const job = await this.call<JobView>({ method: 'POST', url: `${jobPath}/${action}`, body: input, idempotencyKey: key }, { taskId, cancelling: action === 'cancel' });
    return taskOf(job);
  }

  /** The task first, then its changes: new deliverables as artifact updates, then the new state, until the job ends. */
  private async *follow(jobId: string): AsyncGenerator<StreamResponse> {
    let previous: JobView | undefined;
    for await (const job of jobChanges(this.scope.hub, jobId, () => this.job(jobId), this.scope.signal)) {
      if (!previous) {
        yield { payload: { $case: 'task', value: taskOf(job) } };
      } else {
        const task = taskOf(job);
        for (const deliverable of job.deliverables.slice(previous.deliverables.length)) {
          yield {
            payload: { $case: 'artifactUpdate', value: { taskId: job.id, contextId: task.contextId, artifact: artifactOf(deliverable), append: false, lastChunk: true, metadata: undefined } },
          };
        }
        if (job.status !== previous.status) {
          yield { payload: { $case: 'statusUpdate', value: { taskId: job.id, contextId: task.contextId, status: task.status, metadata: { job_status: job.status } } } };
        }
      }
      previous = job;
    }
  }

  /** One of this agent's jobs, as the caller may see it; another agent's job is not found here. */
  private async job(jobId: string): Promise<JobView> {
    const job = await this.call<JobView>({ method: 'GET', url: `/api/jobs/${encodeURIComponent(jobId)}` }, { taskId: jobId });
    if (job.worker_agent_id !== this.scope.agentId) throw new TaskNotFoundError({ message: `No task ${jobId} at this agent`, metadata: { task_id: jobId } });
    return job;
  }

  /** The caller, if it is the client or the worker of this agent's job; anyone else (an admin too) finds no task. */
  private async pushConfigOwner(jobId: string): Promise<Client> {
    const job = await this.job(jobId);
    const owner = this.scope.owner;
    const isParty =
      owner !== undefined &&
      (owner.type === 'user' ? job.client_user_id === owner.id : job.client_agent_id === owner.id || job.worker_agent_id === owner.id);
    if (!isParty) throw new TaskNotFoundError({ message: `No task ${jobId} at this agent`, metadata: { task_id: jobId } });
    return owner;
  }

  private async pushConfigCall<T>(subject: string, payload: unknown, taskId: string): Promise<T> {
    try {
      return await this.scope.bus.request<T>(subject, payload, { requestId: this.scope.caller.requestId });
    } catch (error) {
      if (error instanceof AppError) throw a2aErrorOf({ code: error.code, message: error.message, details: error.details }, { taskId });
      throw error;
    }
  }

  private onlySkill(): string | undefined {
    const skills = this.scope.card.skills;
    return skills.length === 1 ? skills[0]?.id : undefined;
  }

  private async call<T>(call: RouteCall, context: { taskId?: string; cancelling?: boolean } = {}): Promise<T> {
    const answer = await callRoute(this.scope.app, this.scope.caller, call);
    if (!answer.ok) throw a2aErrorOf(answer.error, context);
    return answer.body as T;
  }
}

/** A stored config as A2A shows it: the Authorization scheme without its credentials. */
function configOf(config: PushConfigView): TaskPushNotificationConfig {
  return {
    tenant: '',
    id: config.id,
    taskId: config.job_id,
    url: config.url,
    token: config.token ?? '',
    authentication: config.authentication_scheme ? { scheme: config.authentication_scheme, credentials: '' } : undefined,
  };
}
