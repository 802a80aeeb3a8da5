import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret } from '../endpoints/webhook-secret.ts';
import { signDelivery } from './signature.ts';

describe('signDelivery', () => {
  const body = JSON.stringify({ id: '0192f5a4-0000-7000-8000-000000000000', type: 'job_created', occurred_at: '2026-01-01T00:00:00Z', data: { é: 1 } });
  const now = Math.floor(Date.now() / 1000);

  it('is verified by the reference implementation (standardwebhooks)', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const headers = signDelivery([secret], 'evt-1', now, body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with every secret given, so a receiver holding either verifies during a rotation', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signDelivery([current, previous], 'evt-2', now, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('does not verify a changed body', () => {
    const secret = newWebhookSecret();
    const headers = signDelivery([secret], 'evt-3', now, body);
    expect(() => new Webhook(secret).verify(body.replace('job_created', 'job_started'), { ...headers })).toThrow();
  });
});
