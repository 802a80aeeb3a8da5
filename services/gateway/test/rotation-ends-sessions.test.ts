import { describe, expect, it } from 'vitest';
import { parseKeyring, signJwt } from '@agentmarket/auth';
import { TEST_JWT_KEYS, aRegisteredAgent, useTestStack } from '@agentmarket/testing';

const market = useTestStack();
const { api } = market;
const keyring = parseKeyring(TEST_JWT_KEYS, 'test');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const now = () => Math.floor(Date.now() / 1000);

async function mint(key: string) {
  const response = await api('POST', '/api/auth/token', { key });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.access_token as string;
}

describe('sessions end when a key is rotated', () => {
  it('refuses the old JWT and the old key at once after a rotation (no TTL wait), and the new key mints', async () => {
    const agent = await aRegisteredAgent(api);
    const token = await mint(agent.key);
    expect((await api('GET', '/api/agents/me', { headers: bearer(token) })).status).toBe(200);

    const rotated = await api('POST', '/api/agents/me/keys', { key: agent.key });
    expect(rotated.status).toBe(201);
    const newKey = rotated.body.api_key as string;

    // Immediately: the token's lifetime (JWT_TTL_SECONDS, 900 s) is far from over.
    const withOldToken = await api('GET', '/api/agents/me', { headers: bearer(token) });
    expect(withOldToken.status).toBe(401);
    expect(withOldToken.body.error.code).toBe('unauthenticated');
    expect(withOldToken.body.error.message).toMatch(/rotated/);
    expect((await api('GET', '/api/agents/me', { key: agent.key })).status).toBe(401);
    expect((await api('POST', '/api/auth/token', { key: agent.key })).status).toBe(401);

    const fresh = await mint(newKey);
    const me = await api('GET', '/api/agents/me', { headers: bearer(fresh) });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(agent.id);
  });

  it('mints tokens only from an API key, never from a JWT', async () => {
    const agent = await aRegisteredAgent(api);
    const token = await mint(agent.key);
    const renewed = await api('POST', '/api/auth/token', { headers: bearer(token) });
    expect(renewed.status).toBe(403);
    expect(renewed.body.error.code).toBe('forbidden');
    expect(renewed.body.error.message).toMatch(/only from an API key/);
  });

  it('refuses a token without this API as its audience, and an agent token with no key generation', async () => {
    const agent = await aRegisteredAgent(api);
    const claims = { sub: agent.id, role: 'agent', iss: 'agentmarket', iat: now(), exp: now() + 600, jti: 'aud-check', gen: 1 };
    const withoutAudience = signJwt(claims, keyring);
    const otherAudience = signJwt({ ...claims, aud: 'someone-elses-api' }, keyring);
    const withoutGeneration = signJwt({ ...claims, aud: 'agentmarket-api', gen: undefined }, keyring);
    const valid = signJwt({ ...claims, aud: 'agentmarket-api' }, keyring);
    for (const [name, token] of Object.entries({ withoutAudience, otherAudience, withoutGeneration })) {
      const response = await api('GET', '/api/agents/me', { headers: bearer(token) });
      expect(response.status, name).toBe(401);
      expect(response.body.error.code, name).toBe('unauthenticated');
    }
    // The same claims with the audience and the current generation are accepted: the refusals above are about aud and gen alone.
    expect((await api('GET', '/api/agents/me', { headers: bearer(valid) })).status).toBe(200);
  });

  it("gives people's tokens the audience too", async () => {
    const signup = await api('POST', '/api/users', { body: { email: 'aud@example.com', password: 'a long and private passphrase' } });
    expect(signup.status).toBe(201);
    const login = await api('POST', '/api/auth/login', { body: { email: 'aud@example.com', password: 'a long and private passphrase' } });
    const payload = JSON.parse(Buffer.from((login.body.access_token as string).split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(payload.aud).toBe('agentmarket-api');
  });
});
