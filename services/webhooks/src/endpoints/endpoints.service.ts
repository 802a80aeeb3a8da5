import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  AppError,
  uuidv7,
  type CreateWebhookInput,
  type UpdateWebhookInput,
  type WebhookDeleted,
  type WebhookOwner,
  type WebhookPage,
  type WebhookView,
  type WebhookWithSecret,
} from '@agentmarket/contracts';
import { commandTransaction, markKeyRecordedByUseCase, cursorId, idPageOf } from '@agentmarket/messaging';
import { pauseQueue, resumeQueue } from '../deliveries/deliveries.repository.ts';
import { WEBHOOKS_SCHEMA } from '../schema.ts';
import { checkTarget, TargetRefused, type TargetPolicy } from '@agentmarket/net-guard';
import { toWebhookView, withSecret, type EndpointRow } from './endpoint.views.ts';
import { countWebhooks, deleteEndpoint, findEndpointPage, findOwnedEndpoint, insertWebhook, lockOwner, rotateSecret, updateEndpoint } from './endpoints.repository.ts';
import { newWebhookSecret } from './webhook-secret.ts';

/** Enough for every use we know (several receivers); a bound on what one owner makes us send. A2A push configs count apart. */
export const MAX_ENDPOINTS_PER_OWNER = 25;

/** After a rotation the old secret still signs (a second signature) this long, so receivers can switch over. */
const PREVIOUS_SECRET_GRACE_HOURS = 24;

/** The answer to a create or rotate retried after it succeeded: the secret was shown once and is not shown again. */
function secretAlreadyIssued(earlier: Record<string, unknown>): AppError {
  return new AppError(
    'key_already_issued',
    'This request already succeeded; its webhook secret was shown once, in that first answer. ' +
      'To get a new secret, POST /api/webhooks/{id}/rotate-secret with a fresh Idempotency-Key.',
    earlier,
  );
}

const hideSecret = ({ secret: _secret, ...rest }: WebhookWithSecret) => rest;

/** Endpoints of one owner: create, read, change, delete, rotate the secret. Each public method owns its transaction. */
export class EndpointsService {
  private readonly orm: MikroORM;
  private readonly policy: TargetPolicy;

  constructor(orm: MikroORM, policy: TargetPolicy) {
    this.orm = orm;
    this.policy = policy;
  }

  async create(owner: WebhookOwner, input: CreateWebhookInput, authorization?: string): Promise<WebhookWithSecret> {
    await checkWebhookUrl(input.url, this.policy);
    return commandTransaction(
      this.orm,
      WEBHOOKS_SCHEMA,
      async (em) => {
        // One owner's concurrent creates take turns (a lock on the owner), so the cap holds.
        await lockOwner(em, owner.id);
        // A2A push configs have a cap of their own (push-configs.service.ts).
        if ((await countWebhooks(em, owner.id)) >= MAX_ENDPOINTS_PER_OWNER) {
          throw new AppError('conflict', `At most ${MAX_ENDPOINTS_PER_OWNER} webhooks per owner; delete one first`, { limit: MAX_ENDPOINTS_PER_OWNER });
        }
        const now = new Date();
        const row = await insertWebhook(em, {
          id: uuidv7(),
          owner,
          url: input.url,
          eventTypes: input.event_types,
          description: input.description ?? null,
          secret: newWebhookSecret(),
          authorization: authorization ?? null,
          now,
        });
        return withSecret(row);
      },
      { secretReply: { publicPart: hideSecret, alreadyIssued: secretAlreadyIssued } },
    );
  }

  async list(owner: WebhookOwner, query: { limit: number; cursor?: string | undefined }): Promise<WebhookPage> {
    const after = cursorId(query.cursor, 'webhooks');
    const rows = await findEndpointPage(this.orm.em.fork(), owner.id, after, query.limit);
    return idPageOf(rows, query.limit, toWebhookView, 'webhooks');
  }

  async get(owner: WebhookOwner, webhookId: string): Promise<WebhookView> {
    return toWebhookView(await ownedEndpoint(this.orm.em.fork(), owner, webhookId));
  }

  /** Changes what is sent; re-enabling (`is_active: true`) forgets the run of failures that disabled it and resumes its queue. */
  async update(owner: WebhookOwner, webhookId: string, changes: UpdateWebhookInput): Promise<WebhookView> {
    if (changes.url !== undefined) await checkWebhookUrl(changes.url, this.policy);
    // Idempotent by nature: the same change twice leaves the same endpoint.
    markKeyRecordedByUseCase();
    return this.orm.em.fork().transactional(async (em) => {
      const row = await updateEndpoint(em, owner.id, webhookId, changes);
      if (!row) throw notFound(webhookId);
      if (changes.is_active === true) await resumeQueue(em, webhookId);
      if (changes.is_active === false) await pauseQueue(em, webhookId);
      return toWebhookView(row);
    });
  }

  /** Deletes the endpoint and its delivery log; an attempt in flight finishes, and its result is dropped. */
  async delete(owner: WebhookOwner, webhookId: string): Promise<WebhookDeleted> {
    markKeyRecordedByUseCase();
    if (!(await deleteEndpoint(this.orm.em.fork(), owner.id, webhookId))) throw notFound(webhookId);
    return { id: webhookId, deleted: true };
  }

  /** A new secret at once; the previous one signs too for a day, so a receiver can switch without losing deliveries. */
  async rotateSecret(owner: WebhookOwner, webhookId: string): Promise<WebhookWithSecret> {
    return commandTransaction(
      this.orm,
      WEBHOOKS_SCHEMA,
      async (em) => {
        const row = await rotateSecret(em, owner.id, webhookId, newWebhookSecret(), PREVIOUS_SECRET_GRACE_HOURS);
        if (!row) throw notFound(webhookId);
        return withSecret(row);
      },
      { secretReply: { publicPart: hideSecret, alreadyIssued: secretAlreadyIssued } },
    );
  }
}

/** The SSRF guard at creation and on a URL change: a refused target is a validation error naming why. */
export async function checkWebhookUrl(url: string, policy: TargetPolicy): Promise<void> {
  try {
    await checkTarget(url, policy);
  } catch (error) {
    if (error instanceof TargetRefused) throw new AppError('validation_failed', `Webhook URL ${error.message}`, { url: error.message });
    throw error;
  }
}

export function notFound(webhookId: string): AppError {
  return new AppError('not_found', 'Webhook not found', { webhook_id: webhookId });
}

/** The endpoint if `owner` owns it; anyone else's is not_found, exactly like a missing one. */
export async function ownedEndpoint(em: EntityManager, owner: WebhookOwner, webhookId: string): Promise<EndpointRow> {
  const row = await findOwnedEndpoint(em, owner.id, webhookId);
  if (!row) throw notFound(webhookId);
  return row;
}
