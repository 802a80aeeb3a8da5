import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from './verify-webhook.ts';

// Deliveries signed by the reference implementation (the `standardwebhooks` package) must verify here.
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const reference = new Webhook(secret);
const body = JSON.stringify({ id: 'evt-1', type: 'job_created', occurred_at: '2026-01-01T00:00:00Z', data: { job: { id: 'j1' } } });

function signed(at: Date, payload = body, id = 'msg_1') {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': reference.sign(id, at, payload) };
}

describe('verifyWebhook', () => {
  it('accepts a delivery signed by the reference library and returns its body', () => {
    const now = new Date();
    expect(verifyWebhook(secret, signed(now), body)).toEqual(JSON.parse(body));
    // Bytes as received, and fetch-style headers, too.
    expect(verifyWebhook(secret, new Headers(signed(now)), Buffer.from(body))).toEqual(JSON.parse(body));
  });

  it('reads headers whatever their case, as some frameworks pass them', () => {
    const headers = Object.fromEntries(Object.entries(signed(new Date())).map(([name, value]) => [name.toUpperCase(), value]));
    expect(verifyWebhook(secret, headers, body)).toEqual(JSON.parse(body));
  });

  it('accepts any one of several signatures (a secret rotation in progress)', () => {
    const now = new Date();
    const headers = signed(now);
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign('msg_1', now, body);
    headers['webhook-signature'] = `${other} v2,bm9wZQ== ${headers['webhook-signature']}`;
    expect(verifyWebhook(secret, headers, body)).toEqual(JSON.parse(body));
  });

  it('refuses a changed body, another secret, a changed id and a missing header', () => {
    const headers = signed(new Date());
    expect(() => verifyWebhook(secret, headers, body.replace('j1', 'j2'))).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(`whsec_${randomBytes(32).toString('base64')}`, headers, body)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_2' }, body)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, { ...headers, 'webhook-signature': undefined }, body)).toThrow(/Missing/);
    expect(() => verifyWebhook(secret, { ...headers, 'webhook-signature': 'v1,' + 'A'.repeat(10) }, body)).toThrow(/No matching/);
  });

  it('refuses timestamps outside the tolerance, both ways, and honours a custom tolerance', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const clock = { now: () => now };
    const old = signed(new Date(now.getTime() - 301_000));
    const future = signed(new Date(now.getTime() + 301_000));
    expect(() => verifyWebhook(secret, old, body, clock)).toThrow(/tolerance/);
    expect(() => verifyWebhook(secret, future, body, clock)).toThrow(/tolerance/);
    expect(verifyWebhook(secret, old, body, { ...clock, toleranceSeconds: 600 })).toEqual(JSON.parse(body));
    // The reference library agrees about what is stale.
    expect(() => reference.verify(body, signed(new Date(Date.now() - 301_000)))).toThrow();
  });
});
