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
import { pauseQueue, resumeQueue } from '../deliveries/delivery-queue.ts';
import { WEBHOOKS_SCHEMA } from '../webhooks-schema.ts';
import { checkTarget, TargetRefused, type TargetPolicy } from '@agentmarket/net-guard';
import { toWebhookView, withSecret, type EndpointRow } from './endpoint.views.ts';
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
        await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`webhooks:${owner.id}`], 'run');
        const [counted] = await em.execute<{ count: number }[]>(
          // A2A push configs have a cap of their own (push-configs.service.ts).
          `select count(*)::int as count from ${WEBHOOKS_SCHEMA}.endpoints where owner_id = ? and push_config_id is null`,
          [owner.id],
          'all',
        );
        if ((counted?.count ?? 0) >= MAX_ENDPOINTS_PER_OWNER) {
          throw new AppError('conflict', `At most ${MAX_ENDPOINTS_PER_OWNER} webhooks per owner; delete one first`, { limit: MAX_ENDPOINTS_PER_OWNER });
        }
        const now = new Date();
        const [row] = await em.execute<EndpointRow[]>(
          `insert into ${WEBHOOKS_SCHEMA}.endpoints
             (id, owner_type, owner_id, url, event_types, description, secret, authorization_header, is_active, created_at, updated_at)
           values (?, ?, ?, ?, array[?]::text[], ?, ?, ?, true, ?, ?) returning *`,
          [uuidv7(), owner.type, owner.id, input.url, input.event_types, input.description ?? null, newWebhookSecret(), authorization ?? null, now, now],
          'all',
        );
        return withSecret(row!);
      },
      { secretReply: { publicPart: hideSecret, alreadyIssued: secretAlreadyIssued } },
    );
  }

  async list(owner: WebhookOwner, query: { limit: number; cursor?: string | undefined }): Promise<WebhookPage> {
    const after = cursorId(query.cursor, 'webhooks');
    const rows = await this.orm.em
      .fork()
      .execute<EndpointRow[]>(
        `select * from ${WEBHOOKS_SCHEMA}.endpoints where owner_id = ?${after ? ' and id < ?' : ''} order by id desc limit ?`,
        [owner.id, ...(after ? [after] : []), query.limit + 1],
        'all',
      );
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
      const [row] = await em.execute<EndpointRow[]>(
        `update ${WEBHOOKS_SCHEMA}.endpoints set
           url = coalesce(?, url),
           event_types = case when ? then array[?]::text[] else event_types end,
           description = coalesce(?, description),
           is_active = coalesce(?, is_active),
           disabled_reason = case when ? then null else disabled_reason end,
           failing_since = case when ? then null else failing_since end,
           updated_at = now()
         where id = ? and owner_id = ? returning *`,
        [
          changes.url ?? null,
          changes.event_types !== undefined,
          changes.event_types ?? [],
          changes.description ?? null,
          changes.is_active ?? null,
          changes.is_active === true,
          changes.is_active === true,
          webhookId,
          owner.id,
        ],
        'all',
      );
      if (!row) throw notFound(webhookId);
      if (changes.is_active === true) await resumeQueue(em, webhookId);
      if (changes.is_active === false) await pauseQueue(em, webhookId);
      return toWebhookView(row);
    });
  }

  /** Deletes the endpoint and its delivery log; an attempt in flight finishes, and its result is dropped. */
  async delete(owner: WebhookOwner, webhookId: string): Promise<WebhookDeleted> {
    markKeyRecordedByUseCase();
    const rows = await this.orm.em
      .fork()
      .execute<{ id: string }[]>(`delete from ${WEBHOOKS_SCHEMA}.endpoints where id = ? and owner_id = ? returning id`, [webhookId, owner.id], 'all');
    if (rows.length === 0) throw notFound(webhookId);
    return { id: webhookId, deleted: true };
  }

  /** A new secret at once; the previous one signs too for a day, so a receiver can switch without losing deliveries. */
  async rotateSecret(owner: WebhookOwner, webhookId: string): Promise<WebhookWithSecret> {
    return commandTransaction(
      this.orm,
      WEBHOOKS_SCHEMA,
      async (em) => {
        const [row] = await em.execute<EndpointRow[]>(
          `update ${WEBHOOKS_SCHEMA}.endpoints set
             previous_secret = secret,
             previous_secret_expires_at = now() + make_interval(hours => ?),
             secret = ?,
             updated_at = now()
           where id = ? and owner_id = ? returning *`,
          [PREVIOUS_SECRET_GRACE_HOURS, newWebhookSecret(), webhookId, owner.id],
          'all',
        );
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
  const [row] = await em.execute<EndpointRow[]>(`select * from ${WEBHOOKS_SCHEMA}.endpoints where id = ? and owner_id = ?`, [webhookId, owner.id], 'all');
  if (!row) throw notFound(webhookId);
  return row;
}
