import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { registerAgent, useTestStack } from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;

const serviceBody = () => ({
  name: `Keyed ${randomUUID()}`,
  description: 'a service published with an Idempotency-Key',
  price_usd: '1.00',
  output_type: 'text',
  required_inputs: [],
  capabilities_required: ['x'],
});

describe('idempotency follows the verified caller', () => {
  it('never replays a stored answer to a wrong, missing or rotated credential: 401, not the stored response', async () => {
    const agent = await registerAgent(api, 'KeyOwner', ['x'], { funded: false });
    const key = `publish-${randomUUID()}`;
    const body = serviceBody();
    const first = await api('POST', '/api/services', { key: agent.key, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const replay = await api('POST', '/api/services', { key: agent.key, body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const madeUp = await api('POST', '/api/services', { key: `agmkt_sk_${randomBytes(32).toString('hex')}`, body, headers: { 'idempotency-key': key } });
    expect(madeUp.status).toBe(401);
    const missing = await api('POST', '/api/services', { body, headers: { 'idempotency-key': key } });
    expect(missing.status).toBe(401);
    expect(JSON.stringify(missing.body)).not.toContain(first.body.id);

    expect((await api('POST', '/api/agents/me/keys', { key: agent.key })).status).toBe(201);
    const rotated = await api('POST', '/api/services', { key: agent.key, body, headers: { 'idempotency-key': key } });
    expect(rotated.status).toBe(401);
    expect(rotated.headers.get('idempotent-replayed')).toBeNull();
  });

  it('gives another identity sending the same key its own effect', async () => {
    const [one, two] = await Promise.all([registerAgent(api, 'One', ['x'], { funded: false }), registerAgent(api, 'Two', ['x'], { funded: false })]);
    const key = `shared-${randomUUID()}`;
    const body = serviceBody();
    const mine = await api('POST', '/api/services', { key: one.key, body, headers: { 'idempotency-key': key } });
    const theirs = await api('POST', '/api/services', { key: two.key, body, headers: { 'idempotency-key': key } });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.agent_id).toBe(two.id);
  });

  it('does not return the API key again when a registration or a rotation is retried with the same key: 409 key_already_issued', async () => {
    const key = `register-${randomUUID()}`;
    const body = { name: `Once ${randomUUID()}`, capabilities: ['x'] };
    const first = await api('POST', '/api/agents', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(first.body.api_key).toMatch(/^agmkt_sk_/);
    const retry = await api('POST', '/api/agents', { body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('key_already_issued');
    expect(retry.body.error.message).toMatch(/shown once/);
    expect(retry.body.error.message).toMatch(/POST \/api\/agents\/me\/keys/);
    expect(JSON.stringify(retry.body)).not.toContain(first.body.api_key);

    const rotateKey = `rotate-${randomUUID()}`;
    const rotated = await api('POST', '/api/agents/me/keys', { key: first.body.api_key, headers: { 'idempotency-key': rotateKey } });
    expect(rotated.status).toBe(201);
    // With the new key (the old one is refused): the same caller, the same Idempotency-Key — and no key again.
    const again = await api('POST', '/api/agents/me/keys', { key: rotated.body.api_key, headers: { 'idempotency-key': rotateKey } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('key_already_issued');
    expect(JSON.stringify(again.body)).not.toContain(rotated.body.api_key);
  });
});
