import { describe, expect, it } from 'vitest';
import { aRegisteredAgent, useTestStack } from '@agentmarket/testing';

// The production default: an a2a_url is https to public addresses only (the test stack otherwise allows private ones).
const market = useTestStack({ envFor: { identity: { A2A_ALLOW_PRIVATE_NETWORKS: 'false' } } });
const { api } = market;

describe('a2a_url with A2A_ALLOW_PRIVATE_NETWORKS=false', () => {
  it('refuses loopback, private and metadata addresses and http, at registration and on change', async () => {
    const agent = await aRegisteredAgent(api);
    for (const a2a_url of ['https://127.0.0.1/a2a', 'https://10.0.0.1/a2a', 'https://169.254.169.254/', 'https://[::1]/a2a', 'https://localhost/a2a', 'http://93.184.216.34/a2a']) {
      const patched = await api('PATCH', '/api/agents/me', { key: agent.key, body: { a2a_url } });
      expect(patched.status, a2a_url).toBe(400);
      expect(patched.body.error).toMatchObject({ code: 'validation_failed', details: { a2a_url: expect.any(String) } });
    }
    const registered = await api('POST', '/api/agents', { body: { name: 'Private seller', capabilities: [], a2a_url: 'https://192.168.1.10/a2a' } });
    expect(registered.status).toBe(400);
    expect(registered.body.error.code).toBe('validation_failed');

    // A public address is stored (nothing is sent until a hire).
    const accepted = await api('PATCH', '/api/agents/me', { key: agent.key, body: { a2a_url: 'https://93.184.216.34/a2a' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.a2a_url).toBe('https://93.184.216.34/a2a');
  });
});
