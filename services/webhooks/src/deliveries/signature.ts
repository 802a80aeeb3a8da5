import { createHmac } from 'node:crypto';
import { secretKey } from '../endpoints/webhook-secret.ts';

/** The Standard Webhooks headers of one attempt. */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs a body per Standard Webhooks: `v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}" keyed by the secret's decoded bytes>`. Several
 * secrets (the current one and, for a while after a rotation, the previous
 * one) give several space-separated signatures; a receiver accepts any.
 */
export function signDelivery(secrets: readonly string[], webhookId: string, timestampSeconds: number, body: string): SignedHeaders {
  const signed = `${webhookId}.${timestampSeconds}.${body}`;
  const signatures = secrets.map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(signed).digest('base64')}`);
  return { 'webhook-id': webhookId, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signatures.join(' ') };
}
