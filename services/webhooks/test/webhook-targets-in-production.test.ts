import { describe, expect, it } from 'vitest';
import { aRegisteredAgent, useTestStack } from '@agentmarket/testing';

// The production default: https to public addresses only (the test stack otherwise allows private ones).
const market = useTestStack({ envFor: { webhooks: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } } });
const { api } = market;

describe('webhook targets with WEBHOOK_ALLOW_PRIVATE_NETWORKS=false', () => {
  it('refuses loopback, private, metadata and names that resolve to them, at creation and on change', async () => {
    const owner = await aRegisteredAgent(api);
    for (const url of [
      'https://127.0.0.1/hooks',
      'https://10.0.0.1/hooks',
      'https://10.255.1.2:8443/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://localhost/hooks',
      'http://127.0.0.1:8080/hooks',
    ]) {
      const response = await api('POST', '/api/webhooks', { key: owner.key, body: { url, event_types: ['*'] } });
      expect(response.status, url).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_failed', details: { url: expect.any(String) } });
    }
    expect((await api('GET', '/api/webhooks', { key: owner.key })).body.data).toEqual([]);

    // A public address is fine (nothing is sent until an event it asked for happens); moving it to a private one is not.
    const created = await api('POST', '/api/webhooks', { key: owner.key, body: { url: 'https://93.184.216.34/hooks', event_types: ['job_resolved'] } });
    expect(created.status).toBe(201);
    const moved = await api('PATCH', `/api/webhooks/${created.body.id}`, { key: owner.key, body: { url: 'https://10.0.0.1/hooks' } });
    expect(moved.status).toBe(400);
    expect((await api('GET', `/api/webhooks/${created.body.id}`, { key: owner.key })).body.url).toBe('https://93.184.216.34/hooks');
  });
});
