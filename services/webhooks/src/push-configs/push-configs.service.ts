import type { MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  STATUS_AFTER_JOB_EVENT,
  uuidv7,
  type CreatePushConfigCommand,
  type PushConfigPage,
  type PushConfigView,
  type WebhookDeleted,
  type WebhookOwner,
} from '@agentmarket/contracts';
import { commandTransaction, cursorId, idPageOf, markKeyRecordedByUseCase } from '@agentmarket/messaging';
import type { TargetPolicy } from '@agentmarket/net-guard';
import { toPushConfigView } from '../endpoints/endpoint.views.ts';
import { lockOwner } from '../endpoints/endpoints.repository.ts';
import { checkWebhookUrl } from '../endpoints/endpoints.service.ts';
import { newWebhookSecret } from '../endpoints/webhook-secret.ts';
import { WEBHOOKS_SCHEMA } from '../schema.ts';
import { countPushConfigs, deletePushConfig, findPushConfig, findPushConfigPage, insertPushConfig, replacePushTarget } from './push-configs.repository.ts';

/**
 * One per job an owner follows at a time, and then some: a client delegating
 * to many sellers at once holds one config per task. Configs of finished
 * tasks count until deleted.
 */
export const MAX_PUSH_CONFIGS_PER_OWNER = 100;

/** What an A2A push config is sent: the job events that change its status, each as a status update. */
export const PUSH_EVENT_TYPES = Object.keys(STATUS_AFTER_JOB_EVENT);

function configNotFound(jobId: string, configId: string): AppError {
  return new AppError('not_found', 'Push notification config not found', { job_id: jobId, config_id: configId });
}

/**
 * A2A push-notification configs: each is an endpoint of its owner limited to
 * one job (`job_id`) and sent in the A2A format, so it is signed, queued,
 * retried and disabled like any webhook. The gateway has checked that the
 * owner is a party of the job; here a config is only ever its owner's.
 */
export class PushConfigsService {
  private readonly orm: MikroORM;
  private readonly policy: TargetPolicy;

  constructor(orm: MikroORM, policy: TargetPolicy) {
    this.orm = orm;
    this.policy = policy;
  }

  /** Stores the config, or replaces the url and credentials of the owner's config with the same id on this job (A2A's create-or-replace). */
  async create(command: CreatePushConfigCommand): Promise<PushConfigView> {
    const { owner, job_id: jobId, config } = command;
    await checkWebhookUrl(config.url, this.policy);
    return commandTransaction(this.orm, WEBHOOKS_SCHEMA, async (em) => {
      // One owner's concurrent creates take turns (the same lock as webhooks), so the cap and the replace hold.
      await lockOwner(em, owner.id);
      const now = new Date();
      const target = { url: config.url, token: config.token ?? null, authorization: config.authorization ?? null };
      const replaced = await replacePushTarget(em, { ownerId: owner.id, jobId, configId: config.id }, target, now);
      if (replaced) return toPushConfigView(replaced);
      if ((await countPushConfigs(em, owner.id)) >= MAX_PUSH_CONFIGS_PER_OWNER) {
        throw new AppError('conflict', `At most ${MAX_PUSH_CONFIGS_PER_OWNER} push notification configs per owner; delete those of finished tasks`, {
          limit: MAX_PUSH_CONFIGS_PER_OWNER,
        });
      }
      const row = await insertPushConfig(em, {
        ...target,
        id: uuidv7(),
        owner,
        jobId,
        configId: config.id,
        eventTypes: PUSH_EVENT_TYPES,
        description: `A2A push notifications of task ${jobId}`,
        secret: newWebhookSecret(),
        now,
      });
      return toPushConfigView(row);
    });
  }

  async get(owner: WebhookOwner, jobId: string, configId: string): Promise<PushConfigView> {
    const row = await findPushConfig(this.orm.em.fork(), { ownerId: owner.id, jobId, configId });
    if (!row) throw configNotFound(jobId, configId);
    return toPushConfigView(row);
  }

  /** The owner's configs on this job, oldest first (the order they were made in), by id keyset. */
  async list(owner: WebhookOwner, jobId: string, query: { limit: number; cursor?: string | undefined }): Promise<PushConfigPage> {
    const after = cursorId(query.cursor, 'push_configs');
    const rows = await findPushConfigPage(this.orm.em.fork(), owner.id, jobId, after, query.limit);
    return idPageOf(rows, query.limit, toPushConfigView, 'push_configs');
  }

  /** Deletes the config's endpoint and its delivery log. */
  async delete(owner: WebhookOwner, jobId: string, configId: string): Promise<WebhookDeleted> {
    markKeyRecordedByUseCase();
    const id = await deletePushConfig(this.orm.em.fork(), { ownerId: owner.id, jobId, configId });
    if (id === undefined) throw configNotFound(jobId, configId);
    return { id, deleted: true };
  }
}
