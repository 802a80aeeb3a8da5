import type { PushConfigView, WebhookView, WebhookWithSecret } from '@agentmarket/contracts';

/** An endpoint row as SQL returns it. */
export interface EndpointRow {
  id: string;
  owner_type: 'agent' | 'user';
  owner_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  authorization_header: string | null;
  job_id: string | null;
  format: 'standard' | 'a2a';
  push_config_id: string | null;
  push_token: string | null;
  is_active: boolean;
  disabled_reason: string | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** An endpoint as its owner sees it: never the secret, never the Authorization header. */
export function toWebhookView(row: EndpointRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    event_types: row.event_types,
    description: row.description,
    is_active: row.is_active,
    disabled_reason: row.disabled_reason,
    job_id: row.job_id,
    format: row.format,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** The answer of create and rotate-secret: the view and the secret, this once. */
export function withSecret(row: EndpointRow): WebhookWithSecret {
  return { ...toWebhookView(row), secret: row.secret };
}

/** An endpoint that stores an A2A push config, as the config: the Authorization credentials stay hidden, only their scheme shows. */
export function toPushConfigView(row: EndpointRow): PushConfigView {
  return {
    id: row.push_config_id ?? row.id,
    job_id: row.job_id ?? '',
    webhook_id: row.id,
    url: row.url,
    token: row.push_token,
    authentication_scheme: row.authorization_header?.split(' ', 1)[0] ?? null,
  };
}
