import { describe, expect, it } from 'vitest';
import { useTestStack } from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;

async function agentsNamed(name: string): Promise<number> {
  const page = await api('GET', `/api/agents?q=${encodeURIComponent(name)}&limit=100`);
  return (page.body.data as { name: string }[]).filter((agent) => agent.name === name).length;
}

describe('idempotency never replays a secret', () => {
  it('answers a repeated registration with 409 key_already_issued: no second agent, no key shown again', async () => {
    const body = { name: 'Shown Once', capabilities: ['testing'] };
    const headers = { 'idempotency-key': 'register-once-1' };
    const first = await api('POST', '/api/agents', { body, headers });
    expect(first.status).toBe(201);
    expect(first.body.api_key).toMatch(/^agmkt_sk_/);

    const again = await api('POST', '/api/agents', { body, headers });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('key_already_issued');
    expect(again.body.error.message).toMatch(/shown once/);
    expect(again.body.error.message).toMatch(/POST \/api\/agents\/me\/keys/);
    expect(JSON.stringify(again.body)).not.toContain(first.body.api_key);
    expect(await agentsNamed('Shown Once')).toBe(1);
  });

  it('answers a repeated rotation with the old key 401 and with the new key 409 key_already_issued, rotating once', async () => {
    const registered = await api('POST', '/api/agents', { body: { name: 'Rotates Once', capabilities: ['testing'] } });
    const oldKey = registered.body.api_key as string;
    const headers = { 'idempotency-key': 'rotate-once-1' };
    const rotated = await api('POST', '/api/agents/me/keys', { key: oldKey, headers });
    expect(rotated.status).toBe(201);
    const newKey = rotated.body.api_key as string;

    expect((await api('POST', '/api/agents/me/keys', { key: oldKey, headers })).status).toBe(401);
    const withNewKey = await api('POST', '/api/agents/me/keys', { key: newKey, headers });
    expect(withNewKey.status).toBe(409);
    expect(withNewKey.body.error.code).toBe('key_already_issued');
    expect(JSON.stringify(withNewKey.body)).not.toContain(newKey);
    // No second rotation: the key from the first one still works.
    expect((await api('GET', '/api/agents/me', { key: newKey })).status).toBe(200);
  });

  it('answers a repeated webhook creation or secret rotation with 409 key_already_issued: one endpoint, no secret shown again', async () => {
    const owner = await api('POST', '/api/agents', { body: { name: 'Hooks Once', capabilities: ['testing'] } });
    const key = owner.body.api_key as string;
    const body = { url: 'http://127.0.0.1:9/hooks', event_types: ['job_created'] };
    const headers = { 'idempotency-key': 'webhook-once-1' };
    const created = await api('POST', '/api/webhooks', { key, body, headers });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const again = await api('POST', '/api/webhooks', { key, body, headers });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('key_already_issued');
    expect(again.body.error.message).toMatch(/webhook secret/);
    expect(JSON.stringify(again.body)).not.toContain(created.body.secret);
    expect((await api('GET', '/api/webhooks', { key })).body.data).toHaveLength(1);

    const rotateHeaders = { 'idempotency-key': 'rotate-secret-once-1' };
    const rotated = await api('POST', `/api/webhooks/${created.body.id}/rotate-secret`, { key, headers: rotateHeaders });
    expect(rotated.status).toBe(200);
    const rotatedAgain = await api('POST', `/api/webhooks/${created.body.id}/rotate-secret`, { key, headers: rotateHeaders });
    expect(rotatedAgain.status).toBe(409);
    expect(JSON.stringify(rotatedAgain.body)).not.toContain(rotated.body.secret);
  });
});
