import { createHmac, timingSafeEqual } from 'node:crypto';

/** A delivery that is not provably from the market (bad or missing signature, stale timestamp). */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** Request headers as Node (`IncomingHttpHeaders`), fetch (`Headers`) or a plain object give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How far the `webhook-timestamp` may be from now, either way (replay protection); default 300 s. */
  toleranceSeconds?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

const SECRET_PREFIX = 'whsec_';

/**
 * Verifies a webhook delivery per the Standard Webhooks specification and
 * returns its parsed body (`{id, type, occurred_at, data}`). The signature is
 * HMAC-SHA256 with the secret's decoded bytes over
 * `{webhook-id}.{webhook-timestamp}.{raw body}`; the `webhook-signature`
 * header may hold several space-separated `v1,<base64>` entries (during a
 * secret rotation), any one matching is enough. Compare against the raw
 * bytes as received: a re-serialised JSON body will not match.
 */
export function verifyWebhook(secret: string, headers: WebhookHeaders, rawBody: string | Uint8Array, options: VerifyWebhookOptions = {}): unknown {
  const id = headerOf(headers, 'webhook-id');
  const timestamp = headerOf(headers, 'webhook-timestamp');
  const signatures = headerOf(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');

  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('Invalid webhook-timestamp');
  const nowSeconds = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) throw new WebhookVerificationError('Message timestamp outside the tolerance window');

  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  const expected = createHmac('sha256', secretBytes(secret))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest();
  const matches = signatures
    .split(' ')
    .map((entry) => entry.split(','))
    .some(([version, signature]) => {
      if (version !== 'v1' || !signature) return false;
      const given = Buffer.from(signature, 'base64');
      // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  if (!matches) throw new WebhookVerificationError('No matching signature found');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('The signed body is not JSON');
  }
}

function secretBytes(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length === 0) throw new TypeError('verifyWebhook: the secret is empty or not base64');
  return bytes;
}

function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}
